package io.brook.cluster.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.cluster.election.ControllerEpochStore.Accepted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerEpochStoreTest {
  @TempDir
  Path dir;

  @Test
  void startsAtZeroAndOnlyGoesUp() throws IOException {
    ControllerEpochStore store = new ControllerEpochStore(dir.resolve("data"));
    assertThat(store.load()).isEqualTo(Accepted.NONE);
    assertThat(store.raise(new Accepted(5, "2"))).isTrue();
    assertThat(store.raise(new Accepted(4, "3"))).isFalse();
    assertThat(store.raise(new Accepted(5, "3"))).isFalse(); // same epoch, known controller: kept
    assertThat(new ControllerEpochStore(dir.resolve("data")).load()).isEqualTo(new Accepted(5, "2"));
    assertThat(Files.readString(store.file())).isEqualTo("5 2\n");
  }

  @Test
  void anUnknownControllerGetsNamedOnce() throws IOException {
    Files.writeString(dir.resolve(ControllerEpochStore.FILE_NAME), "9\n"); // no controller id
    ControllerEpochStore store = new ControllerEpochStore(dir);
    assertThat(store.load()).isEqualTo(new Accepted(9, ""));
    assertThat(store.raise(new Accepted(9, "1"))).isTrue();
    assertThat(store.raise(new Accepted(9, "2"))).isFalse();
  }

  @Test
  void aLeftoverTempFileIsIgnored() throws IOException {
    Files.writeString(dir.resolve(ControllerEpochStore.FILE_NAME), "3 1\n");
    Files.writeString(dir.resolve(ControllerEpochStore.FILE_NAME + ".tmp"), "99"); // crash before the move
    assertThat(new ControllerEpochStore(dir).load().epoch()).isEqualTo(3);
    assertThat(dir.resolve(ControllerEpochStore.FILE_NAME + ".tmp")).doesNotExist();
  }

  @Test
  void aDamagedFileIsAnErrorNotZero() throws IOException {
    Files.writeString(dir.resolve(ControllerEpochStore.FILE_NAME), "\u0000\u0000garbage");
    assertThatThrownBy(() -> new ControllerEpochStore(dir).load()).isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt");
  }
}
