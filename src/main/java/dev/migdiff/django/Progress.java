package dev.migdiff.django;

/**
 * Where a long run says how far it has got: the reading layers report, the command line decides
 * whether anyone sees it (a self-erasing line on a terminal, nothing elsewhere).
 */
public interface Progress {
  /** Reports nothing. */
  Progress NONE = new Progress() {
    @Override
    public void stage(String what) {}

    @Override
    public void files(int done, int total) {}
  };

  /** What the run is doing now, such as {@code reading 'main'}. */
  void stage(String what);

  /** Files read so far in this stage, of {@code total} that need reading. */
  void files(int done, int total);
}
