package io.brook.verticles;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;

/**
 * A 4 MiB tmpfs mounted on a test's directory, for real full-disk tests: skipped (an assumption) where
 * mounting needs root and the test does not have it; unmounted (lazily) on close.
 */
final class SmallTmpfs implements AutoCloseable {
  private final Path mountPoint;

  private SmallTmpfs(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  static SmallTmpfs mount(Path mountPoint) throws Exception {
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint.toString())
        .redirectErrorStream(true).start();
    mount.getInputStream().readAllBytes();
    assumeThat(mount.waitFor() == 0).as("mounting a tmpfs needs root").isTrue();
    return new SmallTmpfs(mountPoint);
  }

  @Override
  public void close() throws Exception {
    new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor();
  }
}
