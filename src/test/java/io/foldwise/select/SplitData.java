package io.foldwise.select;

import io.foldwise.TestSpark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small synthetic image tables (id, label, labelName, path) for split tests. */
final class SplitData {
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("labelName", DataTypes.StringType, false)
            .add("path", DataTypes.StringType, false);

    private SplitData() {
    }

    /** label → image count; ids are {@code c<label>-<i>}, rows in a scrambled order. */
    static Dataset<Row> images(Map<Integer, Integer> counts) {
        List<Row> rows = new ArrayList<>();
        counts.forEach((label, n) -> {
            for (int i = 0; i < n; i++) {
                rows.add(RowFactory.create("c" + label + "-" + i, label, "class" + label, "/data/" + label + "/" + i));
            }
        });
        Collections.shuffle(rows, new Random(1));
        return TestSpark.session().createDataFrame(rows, SCHEMA);
    }

    /** id → value of an int column. */
    static Map<String, Integer> intById(Dataset<Row> df, String column) {
        Map<String, Integer> out = new HashMap<>();
        for (Row r : df.select("id", column).collectAsList()) {
            if (out.put(r.getString(0), r.getInt(1)) != null) {
                throw new AssertionError("id " + r.getString(0) + " appears twice");
            }
        }
        return out;
    }

    /** The ids of a table, failing on repeats. */
    static List<String> ids(Dataset<Row> df) {
        return df.select("id").collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    /** label → count, from ids of the form c<label>-<i>. */
    static Map<Integer, Integer> countsByLabel(List<String> ids) {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        for (String id : ids) {
            out.merge(Integer.parseInt(id.substring(1, id.indexOf('-'))), 1, Integer::sum);
        }
        return out;
    }
}
