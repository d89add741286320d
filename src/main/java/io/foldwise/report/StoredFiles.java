package io.foldwise.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.store.Json;
import io.foldwise.store.Storage;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/** Reads a run's optional files: a file a run has not written (yet) is empty, not an error. */
final class StoredFiles {
    private StoredFiles() {
    }

    static Optional<String> text(Storage storage, Path path) {
        return storage.exists(path) ? Optional.of(storage.readString(path)) : Optional.empty();
    }

    static Optional<JsonNode> json(Storage storage, Path path) {
        return text(storage, path).map(Json::parse);
    }

    static Optional<CsvTable> csv(Storage storage, Path path) {
        return text(storage, path).map(CsvTable::parse);
    }
}
