package dev.migdiff.python;

/** A place in a source file: 1-based line and 1-based column (counted in code points). */
public record Position(int line, int column) implements Comparable<Position> {
  public static final Position START = new Position(1, 1);

  @Override
  public int compareTo(Position o) {
    return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
  }

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
