package io.brook.verticles.datadir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory is held once: a second claim is refused with the holder's PID, and a release frees it. */
class DirectoryLockTest {
  private static final String SELF = String.valueOf(ProcessHandle.current().pid());

  @TempDir
  Path dir;

  @Test
  void aSecondClaimIsRefusedWithTheHoldersPidUntilTheFirstIsReleased() throws Exception {
    DirectoryLock first = DirectoryLock.acquire(dir, "data dir");
    assertThat(Files.readString(dir.resolve(DirectoryLock.NAME), StandardCharsets.US_ASCII).trim()).isEqualTo(SELF);
    assertThatThrownBy(() -> DirectoryLock.acquire(dir, "data dir"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("data dir " + dir.toAbsolutePath() + " is in use by PID " + SELF);
    // the same directory by another name is the same directory
    assertThatThrownBy(() -> DirectoryLock.acquire(dir.resolve("..").resolve(dir.getFileName()), "data dir"))
        .hasMessageContaining("is in use by PID " + SELF);
    first.close();

    try (DirectoryLock again = DirectoryLock.acquire(dir, "data dir")) {
      assertThat(again).isNotNull();
    }
  }

  @Test
  void aMissingDirectoryIsAnIoErrorNotALock() {
    assertThatThrownBy(() -> DirectoryLock.acquire(dir.resolve("absent"), "data dir"))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }
}
