package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** JSON rendering and parsing for the files a run writes (Jackson from Spark's classpath). */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String render(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T parse(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Embeds pre-rendered JSON (e.g. the resolved HOCON) as a node. */
    public static JsonNode raw(String json) {
        return parse(json);
    }

    /**
     * The value at {@code key}, or at {@code legacyKey} in a file written before every JSON file
     * used camelCase names (missing if neither is there).
     */
    public static JsonNode field(JsonNode n, String key, String legacyKey) {
        return n.has(key) ? n.path(key) : n.path(legacyKey);
    }

    /** A number, or NaN where the file holds null (how non-finite values are written) or nothing. */
    public static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** A finite number as itself, anything else as null: JSON has no NaN. */
    public static JsonNode number(double v) {
        return Double.isFinite(v) ? MAPPER.getNodeFactory().numberNode(v) : MAPPER.getNodeFactory().nullNode();
    }

    /** The texts of a JSON array (empty if {@code n} is not one). */
    public static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** A JSON array of texts. */
    public static ArrayNode strings(Collection<String> values) {
        ArrayNode a = MAPPER.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    /** A JSON array of nodes. */
    public static ArrayNode array(Collection<? extends JsonNode> values) {
        ArrayNode a = MAPPER.createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
