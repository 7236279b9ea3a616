package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -conf names a readable JSON file or is inline JSON; anything else is refused with the path and the reason. */
class ConfArgumentTest {
  @TempDir
  Path dir;

  @Test
  void findsTheValueInEveryFormTheLauncherAccepts() {
    assertThat(ConfArgument.find(new String[] {"-conf", "a.json", "-cluster"})).contains("a.json");
    assertThat(ConfArgument.find(new String[] {"--conf", "b.json"})).contains("b.json");
    assertThat(ConfArgument.find(new String[] {"-cluster", "-conf=c.json"})).contains("c.json");
    assertThat(ConfArgument.find(new String[] {"--conf={\"node.id\":2}"})).contains("{\"node.id\":2}");
    assertThat(ConfArgument.find(new String[] {"-cluster"})).isEmpty();
  }

  @Test
  void aMissingFileIsRefusedWithItsAbsolutePath() {
    assertThatThrownBy(() -> ConfArgument.read(dir.resolve("absent.json").toString()))
        .hasMessage("config file " + dir.resolve("absent.json").toAbsolutePath() + " does not exist");
    assertThatThrownBy(() -> ConfArgument.read(dir.toString())).hasMessage("config file " + dir + " is not a file");
  }

  @Test
  void anInvalidFileIsRefusedWithThePathAndWhereTheParserStopped() throws Exception {
    Path file = Files.writeString(dir.resolve("broken.json"), "{\n  \"node.id\": 1,\n  \"data.dir\": \n}\n");
    assertThatThrownBy(() -> ConfArgument.read(file.toString()))
        .hasMessageStartingWith("config file " + file + " is not a valid JSON object: ")
        .hasMessageContaining("[line: 4, column: 1]")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Source"));
    Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");
    assertThatThrownBy(() -> ConfArgument.read(array.toString())).hasMessageStartingWith("config file " + array + " is not a valid JSON object");
  }

  @Test
  void aValidFileAndInlineJsonAreRead() throws Exception {
    Path file = Files.writeString(dir.resolve("ok.json"), "{\"node.id\": 3}");
    assertThat(ConfArgument.read(file.toString()).getInteger("node.id")).isEqualTo(3);
    assertThat(ConfArgument.read(" {\"node.id\": 4}").getInteger("node.id")).isEqualTo(4);
    assertThatThrownBy(() -> ConfArgument.read("{\"node.id\": ")).hasMessageStartingWith("-conf is not a valid JSON object: ");
  }
}
