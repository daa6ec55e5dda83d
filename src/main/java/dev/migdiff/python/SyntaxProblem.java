package dev.migdiff.python;

/** Something the tokenizer or parser could not read, with where it happened. */
public record SyntaxProblem(Position pos, String message) {}
