package io.foldwise.ingest;

import io.foldwise.config.ClassMap;
import io.foldwise.config.InvalidConfigException;
import java.util.List;

/** The checks {@code data.classes} needs against the training data's source classes, shared by both readers. */
final class ClassSelection {
    private ClassSelection() {
    }

    /** A class listed in data.classes that the training data does not have is a config error (exit 2). */
    static void checkKnown(ClassMap classes, List<String> sources, String key, String location) {
        List<String> unknown = classes.unknown(sources);
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException("data.classes names class" + (unknown.size() == 1 ? " " : "es ")
                    + String.join(", ", unknown) + ", which " + key + " " + location + " does not have; its classes are "
                    + sources + "; list only those (or \"*\" for every other one)");
        }
    }

    /** A mapping that leaves fewer than 2 classes is a data error (exit 3). */
    static void checkEnough(ClassMap classes, List<String> targets, List<String> sources, String key,
                            String location) {
        if (targets.size() < 2) {
            throw new DataException(key + " " + location + ": data.classes = " + classes + " leaves "
                    + (targets.isEmpty() ? "no class" : "only one class (" + targets.get(0) + ")") + " of its classes "
                    + sources + "; classification needs at least 2: keep or map to at least two classes");
        }
    }
}
