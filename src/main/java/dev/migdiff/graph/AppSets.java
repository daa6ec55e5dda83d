package dev.migdiff.graph;

import java.util.Set;

/**
 * What the loader knows of app labels: {@code migrated} apps have a migrations package in the
 * repository, {@code unmigrated} ones are installed without one, {@code external} ones are
 * installed but live outside the repository (django.contrib, third-party). With
 * {@code closedWorld} the installed apps are known exactly, so any other label is unknown to
 * Django; without it (settings not read), any other label is taken as external.
 */
public record AppSets(Set<String> migrated, Set<String> unmigrated, Set<String> external,
    boolean closedWorld) {}
