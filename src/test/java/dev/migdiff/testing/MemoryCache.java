package dev.migdiff.testing;

import dev.migdiff.django.ObjectCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory store, by "kind/key", that runs its end-of-run flushes on demand: what tests of
 * the readers that keep things between runs put into it and take out.
 */
public final class MemoryCache implements ObjectCache {
  public final Map<String, byte[]> values = new HashMap<>();
  private final List<Runnable> atEnd = new ArrayList<>();

  @Override
  public byte[] get(String kind, String key) {
    return values.get(kind + "/" + key);
  }

  @Override
  public void put(String kind, String key, byte[] value) {
    values.put(kind + "/" + key, value);
  }

  @Override
  public void atEnd(Runnable flush) {
    atEnd.add(flush);
  }

  /** Ends the run: its flushes write what they gathered. */
  public void end() {
    atEnd.forEach(Runnable::run);
    atEnd.clear();
  }
}
