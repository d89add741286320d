package io.foldwise.ingest;

import io.foldwise.config.DataConfig;
import io.foldwise.config.DataFormat;
import io.foldwise.config.ImageShape;
import io.foldwise.config.IngestConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Writes small real image and IDX files for ingest tests, and reads frames back. */
public final class TestImages {
    static final IngestConfig STRICT = new IngestConfig(false, false, false);

    private TestImages() {
    }

    /** A gray image from 0..255 values, indexed [row][column]. */
    static BufferedImage gray(int[][] values) {
        BufferedImage img = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < values[0].length; x++) {
                img.getRaster().setSample(x, y, 0, values[y][x]);
            }
        }
        return img;
    }

    public static BufferedImage gray(int height, int width, int value) {
        int[][] v = new int[height][width];
        for (int[] row : v) {
            java.util.Arrays.fill(row, value);
        }
        return gray(v);
    }

    /** An RGB image from {r, g, b} triples, indexed [row][column]. */
    static BufferedImage rgb(int[][][] values) {
        BufferedImage img = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < values[0].length; x++) {
                int[] p = values[y][x];
                img.setRGB(x, y, (p[0] << 16) | (p[1] << 8) | p[2]);
            }
        }
        return img;
    }

    public static BufferedImage rgb(int height, int width, int r, int g, int b) {
        int[][][] v = new int[height][width][];
        for (int[][] row : v) {
            java.util.Arrays.fill(row, new int[] {r, g, b});
        }
        return rgb(v);
    }

    /** Writes as PNG, or JPEG when the name ends in .jpg/.jpeg (any case); creates parent folders. */
    public static Path write(Path file, BufferedImage img) throws IOException {
        Files.createDirectories(file.getParent());
        String lower = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String format = lower.endsWith(".jpg") || lower.endsWith(".jpeg") ? "jpg" : "png";
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return file;
    }

    public static Path writeBytes(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    /** An IDX images file: magic 0x00000803, n, rows, cols, then n*rows*cols unsigned bytes. */
    static Path idxImages(Path file, int n, int rows, int cols, byte[] pixels, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(n);
        out.writeInt(rows);
        out.writeInt(cols);
        out.write(pixels);
        return store(file, bytes.toByteArray(), gzip);
    }

    /** An IDX labels file: magic 0x00000801, n, then n unsigned bytes. */
    static Path idxLabels(Path file, byte[] labels, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(labels.length);
        out.write(labels);
        return store(file, bytes.toByteArray(), gzip);
    }

    private static Path store(Path file, byte[] content, boolean gzip) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    static DataConfig folders(Path train, Path test, long limit, ImageShape shape) {
        return new DataConfig(DataFormat.FOLDERS, train.toString(), Optional.empty(),
                Optional.ofNullable(test).map(Path::toString), Optional.empty(), 0.2, limit, shape);
    }

    static DataConfig idx(Path images, Path labels, Path testImages, Path testLabels, long limit, ImageShape shape) {
        return new DataConfig(DataFormat.IDX, images.toString(), Optional.of(labels.toString()),
                Optional.ofNullable(testImages).map(Path::toString), Optional.ofNullable(testLabels).map(Path::toString),
                0.2, limit, shape);
    }

    static float[] pixels(Row row) {
        List<Float> list = row.getList(row.fieldIndex(ImageSchema.PIXELS));
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    /** The frame's rows keyed by id. */
    static Map<String, Row> byId(Dataset<Row> frame) {
        Map<String, Row> rows = new TreeMap<>();
        for (Row r : frame.collectAsList()) {
            rows.put(r.getString(r.fieldIndex(ImageSchema.ID)), r);
        }
        return rows;
    }
}
