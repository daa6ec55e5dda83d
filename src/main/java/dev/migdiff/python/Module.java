package dev.migdiff.python;

import java.util.List;

/**
 * A parsed source file: its top-level statements and every problem met on the way. A statement
 * that could not be parsed is left out of {@code body} and reported in {@code problems}; parsing
 * resumes at the next statement.
 */
public record Module(List<Stmt> body, List<SyntaxProblem> problems) {}
