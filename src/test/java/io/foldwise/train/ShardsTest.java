package io.foldwise.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import io.foldwise.config.ImageShape;
import io.foldwise.ingest.ImageSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** The shard format, its layout, the streaming shuffle and the nested subsamples. */
class ShardsTest {
    private static final ImageShape SHAPE = new ImageShape(2, 2, 3);
    @TempDir
    java.nio.file.Path tmp;

    /** 40 RGB 2x2 images in 2 groups: even ids 8-bit, odd ids with a value no byte holds. */
    private static Dataset<Row> rows(int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            float[] hwc = new float[12];
            for (int p = 0; p < 12; p++) {
                hwc[p] = ((i * 12 + p) % 256) / 255f;
            }
            if (i % 2 == 1) {
                hwc[5] = 0.123456f;
            }
            List<Float> px = new ArrayList<>();
            for (float v : hwc) {
                px.add(v);
            }
            rows.add(RowFactory.create("img" + i, i % 3, i % 2, (long) (i / 6), 7L, px));
        }
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField(ImageSchema.ID, DataTypes.StringType, false),
            DataTypes.createStructField(ImageSchema.LABEL, DataTypes.IntegerType, false),
            DataTypes.createStructField(Shards.GROUP, DataTypes.IntegerType, false),
            DataTypes.createStructField(Shards.POSITION, DataTypes.LongType, false),
            DataTypes.createStructField(Shards.CLASS_COUNT, DataTypes.LongType, false),
            DataTypes.createStructField(ImageSchema.PIXELS, DataTypes.createArrayType(DataTypes.FloatType, false),
                    false)});
        return TestSpark.session().createDataFrame(rows, schema).repartition(partitions);
    }

    private Map<String, float[]> read(Shards.ShardSet set, List<Integer> groups, Configuration conf) {
        Map<String, float[]> out = new HashMap<>();
        for (String f : set.files(conf, groups)) {
            try (Shards.Reader r = new Shards.Reader(conf, f)) {
                r.forEachRemaining(rec -> out.put(rec.id(), rec.features().clone()));
            }
        }
        return out;
    }

    @Test
    void recordsRoundTripInChwOrderExactlyEvenWhenNotEightBit() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        Dataset<Row> rows = rows(3);
        Shards.ShardSet set = Shards.write(sc, rows, 40, SHAPE, new Path(tmp.resolve("a").toUri()), 1);
        Map<String, float[]> read = read(set, List.of(0, 1), sc.hadoopConfiguration());
        assertThat(read).hasSize(40);
        for (Row r : rows.collectAsList()) {
            float[] hwc = Shards.floats(r, 5);
            float[] chw = new float[12];
            Shards.toChw(hwc, 2, 2, 3, chw, 0);
            assertThat(read.get(r.getString(0))).as(r.getString(0)).containsExactly(chw);
        }
        // Group 0 holds the even ids only.
        assertThat(read(set, List.of(0), sc.hadoopConfiguration()).keySet()).allMatch(
                id -> Integer.parseInt(id.substring(3)) % 2 == 0);
    }

    @Test
    void eightBitImagesTakeOneBytePerValue() throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        Shards.ShardSet set = Shards.write(sc, rows(1), 40, SHAPE, new Path(tmp.resolve("b").toUri()), 1);
        Configuration conf = sc.hadoopConfiguration();
        long evenBytes = 0;
        for (String f : set.files(conf, List.of(0))) {
            evenBytes += new Path(f).getFileSystem(conf).getFileStatus(new Path(f)).getLen();
        }
        long oddBytes = 0;
        for (String f : set.files(conf, List.of(1))) {
            oddBytes += new Path(f).getFileSystem(conf).getFileStatus(new Path(f)).getLen();
        }
        // 20 images in one file each: 12 bytes of pixels against 48, and ids of other lengths.
        assertThat(oddBytes - evenBytes).isEqualTo(20 * (48 - 12) + (oddIdBytes() - evenIdBytes()));
    }

    private static long evenIdBytes() {
        long n = 0;
        for (int i = 0; i < 40; i += 2) {
            n += ("img" + i).length();
        }
        return n;
    }

    private static long oddIdBytes() {
        long n = 0;
        for (int i = 1; i < 40; i += 2) {
            n += ("img" + i).length();
        }
        return n;
    }

    @Test
    void filesHoldTheSameRecordsInTheSameOrderOnAnyPartitioning() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        Configuration conf = sc.hadoopConfiguration();
        Shards.ShardSet one = Shards.write(sc, rows(1), 40, SHAPE, new Path(tmp.resolve("p1").toUri()), 5);
        Shards.ShardSet seven = Shards.write(sc, rows(7), 40, SHAPE, new Path(tmp.resolve("p7").toUri()), 5);
        assertThat(ids(seven, conf)).isEqualTo(ids(one, conf));
    }

    private static List<String> ids(Shards.ShardSet set, Configuration conf) {
        List<String> out = new ArrayList<>();
        for (String f : set.files(conf, List.of(0, 1))) {
            try (Shards.Reader r = new Shards.Reader(conf, f)) {
                r.forEachRemaining(rec -> out.add(rec.id()));
            }
        }
        return out;
    }

    @Test
    void everyEpochIsASeededPermutationOfTheKeptRecords() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        Configuration conf = sc.hadoopConfiguration();
        Shards.ShardSet set = Shards.write(sc, rows(2), 40, SHAPE, new Path(tmp.resolve("s").toUri()), 1);
        List<String> files = set.files(conf, List.of(0, 1));
        ShardStream stream = new ShardStream(conf, 12, 3);
        for (int capacity : new int[] {64, 5}) { // the whole set fits; a streaming shuffle
            List<float[]> first = epoch(stream, files, capacity, 1);
            List<float[]> again = epoch(stream, files, capacity, 1);
            List<float[]> second = epoch(stream, files, capacity, 2);
            assertThat(first).hasSize(40);
            assertThat(again).as("same seed and epoch, same order").usingElementComparator(ShardsTest::compare)
                    .containsExactlyElementsOf(first);
            assertThat(second).as("another epoch, the same records").usingElementComparator(ShardsTest::compare)
                    .containsExactlyInAnyOrderElementsOf(first);
            assertThat(second).as("in another order").usingElementComparator(ShardsTest::compare)
                    .doesNotContainSequence(first);
        }
    }

    private static int compare(float[] a, float[] b) {
        return java.util.Arrays.equals(a, b) ? 0 : 1;
    }

    private static List<float[]> epoch(ShardStream stream, List<String> files, int capacity, int epoch) {
        List<float[]> out = new ArrayList<>();
        stream.minibatches(files, r -> true, 4, new ShardStream.ShuffleBuffer(capacity, 12),
                TaskTrainer.epochRandom(3, epoch), (DataSet d) -> {
                    float[] f = d.getFeatures().data().asFloat();
                    for (int i = 0; i < d.numExamples(); i++) {
                        out.add(java.util.Arrays.copyOfRange(f, i * 12, i * 12 + 12));
                    }
                });
        return out;
    }

    @Test
    void subsamplesAreNestedAndTakeTheFirstCeilOfEachClass() {
        Set<Integer> quarter = new HashSet<>();
        Set<Integer> half = new HashSet<>();
        for (int position = 0; position < 7; position++) {
            Shards.Record r = new Shards.Record("x", 0, position, 7, true, new float[0]);
            if (r.inSubsample(0.25)) {
                quarter.add(position);
            }
            if (r.inSubsample(0.5)) {
                half.add(position);
            }
            assertThat(r.inSubsample(1.0)).isTrue();
        }
        assertThat(quarter).containsExactlyInAnyOrder(0, 1); // ceil(1.75)
        assertThat(half).containsExactlyInAnyOrder(0, 1, 2, 3); // ceil(3.5)
        assertThat(half).containsAll(quarter);
        assertThat(new Shards.Record("x", 0, 2, 10, true, new float[0]).inSubsample(0.3)).isTrue(); // ceil(3) = 3
        assertThat(new Shards.Record("x", 0, 3, 10, true, new float[0]).inSubsample(0.3)).isFalse();
    }
}
