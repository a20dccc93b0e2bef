/**
 * File chores every other package shares, with no dependency on any of them: {@link dev.wsvd.io.AtomicFile},
 * the one way wsvd writes a file (models, factors, reports, JSON documents, extracted natives), and
 * {@link dev.wsvd.io.OutputPaths}, the checks every output path gets before any work.
 */
package dev.wsvd.io;
