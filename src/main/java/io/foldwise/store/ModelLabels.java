package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.config.ClassMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code labels.json}: the class of each output index and the {@code data.classes} mapping the
 * model was trained with, so that predict reads its input the same way. Older runs wrote a bare
 * array of labels; it reads as every class kept as it is.
 *
 * @param labels  class name of each output index
 * @param classes source class → class, as {@code data.classes} ({@code "*"}: every other one)
 */
public record ModelLabels(List<String> labels, ClassMap classes) {
    public static final String LABELS = "labels";
    public static final String CLASSES = "classes";

    public ModelLabels {
        labels = List.copyOf(labels);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        labels.forEach(o.putArray(LABELS)::add);
        ObjectNode c = o.putObject(CLASSES);
        classes.entries().forEach(c::put);
        return o;
    }

    public static ModelLabels fromJson(JsonNode n) {
        List<String> labels = new ArrayList<>();
        Map<String, String> classes = new TreeMap<>();
        if (n.isArray()) {
            n.forEach(l -> labels.add(l.asText()));
        } else {
            n.path(LABELS).forEach(l -> labels.add(l.asText()));
            n.path(CLASSES).fields().forEachRemaining(e -> classes.put(e.getKey(), e.getValue().asText()));
        }
        return new ModelLabels(labels, ClassMap.of(classes));
    }
}
