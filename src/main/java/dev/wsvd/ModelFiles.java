package dev.wsvd;

import dev.wsvd.CompressionStats.ModelFile;
import dev.wsvd.ModelSource;

import java.io.IOException;
import java.nio.file.Files;

/** How the statistics name a model that went into a run. */
final class ModelFiles {
    private ModelFiles() {
    }

    static ModelFile describe(ModelSource source) {
        return switch (source) {
            case ModelSource.OnDisk file -> {
                long size;
                try {
                    size = Files.size(file.path());
                } catch (IOException e) {
                    size = 0;
                }
                yield ModelFile.at(file.path(), size);
            }
            case ModelSource.InMemory memory -> new ModelFile(memory.name(), memory.bytes().remaining());
            case CandidateSource candidate -> describe(candidate.base());
        };
    }
}
