package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.config.ClassMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * {@code labels.json}: the class of each output index and the {@code data.classes} mapping the
 * model was trained with, so that predict reads its input the same way. Older runs wrote a bare
 * array of labels; it reads as every class kept as it is.
 *
 * @param labels  class name of each output index
 * @param classes   source class → class, as {@code data.classes} ({@code "*"}: every other one)
 * @param threshold two classes: predict the positive class (label 1) when its probability is at
 *                  least this; empty: at 0.5 (the larger logit)
 */
public record ModelLabels(List<String> labels, ClassMap classes, OptionalDouble threshold) {
    public static final String LABELS = "labels";
    public static final String CLASSES = "classes";
    public static final String THRESHOLD = "threshold";
    public static final String POSITIVE_CLASS = "positiveClass";

    public ModelLabels {
        labels = List.copyOf(labels);
    }

    /** No threshold. */
    public ModelLabels(List<String> labels, ClassMap classes) {
        this(labels, classes, OptionalDouble.empty());
    }

    /** The same with {@code threshold}. */
    public ModelLabels withThreshold(double threshold) {
        return new ModelLabels(labels, classes, OptionalDouble.of(threshold));
    }

    /** The predicted class index given each class's probability: the threshold when set, else the largest. */
    public int predict(double[] probabilities, int largest) {
        return threshold.isPresent() && labels.size() == 2 ? (probabilities[1] >= threshold.getAsDouble() ? 1 : 0)
                : largest;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        labels.forEach(o.putArray(LABELS)::add);
        ObjectNode c = o.putObject(CLASSES);
        classes.entries().forEach(c::put);
        if (threshold.isPresent()) {
            o.put(POSITIVE_CLASS, labels.get(1));
            o.put(THRESHOLD, threshold.getAsDouble());
        }
        return o;
    }

    public static ModelLabels fromJson(JsonNode n) {
        List<String> labels = new ArrayList<>();
        Map<String, String> classes = new TreeMap<>();
        OptionalDouble threshold = n.has(THRESHOLD) ? OptionalDouble.of(n.get(THRESHOLD).asDouble())
                : OptionalDouble.empty();
        if (n.isArray()) {
            n.forEach(l -> labels.add(l.asText()));
        } else {
            n.path(LABELS).forEach(l -> labels.add(l.asText()));
            n.path(CLASSES).fields().forEachRemaining(e -> classes.put(e.getKey(), e.getValue().asText()));
        }
        return new ModelLabels(labels, ClassMap.of(classes), threshold);
    }
}
