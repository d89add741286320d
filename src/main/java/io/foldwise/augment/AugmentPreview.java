package io.foldwise.augment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.foldwise.config.AugmentConfig;
import io.foldwise.ingest.ImageSchema;
import io.foldwise.store.Storage;
import java.awt.AWTError;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The augmentation preview a run writes: a PNG with one row per class (up to {@link #MAX_CLASSES}),
 * each showing {@link #PER_CLASS} original training images (framed) followed by their augmented
 * copies (up to {@link #MAX_COPIES}). The copies come from {@link Augmenter} itself, so they are
 * the very pixels training sees.
 */
public final class AugmentPreview {
    /** Originals shown per class: the first by id. */
    public static final int PER_CLASS = 2;
    /** Classes shown: those with the smallest labels. */
    public static final int MAX_CLASSES = 10;
    /** Copies shown per original. */
    public static final int MAX_COPIES = 6;

    private static final int TARGET_TILE = 84;
    private static final int GAP = 3;
    private static final int GROUP_GAP = 14;
    private static final int LABEL_WIDTH = 64;
    private static final int HEADER = 20;
    private static final Color BACKGROUND = new Color(0x30, 0x30, 0x30);
    private static final Color ORIGINAL_FRAME = new Color(0xF0, 0xA0, 0x30);
    private static final Color TEXT = new Color(0xE0, 0xE0, 0xE0);

    private AugmentPreview() {
    }

    /**
     * Augments a few of {@code trainingRows} (one small Spark job), draws the preview and writes it
     * to {@code target} atomically.
     */
    public static void write(Storage storage, Path target, Dataset<Row> trainingRows, AugmentConfig config) {
        BufferedImage image = render(sample(trainingRows, config));
        storage.writeAtomically(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this JVM");
            }
        });
    }

    /** Originals and copies (copy <= {@link #MAX_COPIES}) of the first images of the first classes. */
    static List<Row> sample(Dataset<Row> trainingRows, AugmentConfig config) {
        Dataset<Row> firstPerClass = trainingRows
                .withColumn("__fw_n", row_number().over(Window.partitionBy(col(ImageSchema.LABEL))
                        .orderBy(col(ImageSchema.ID))))
                .where(col("__fw_n").leq(PER_CLASS))
                .drop("__fw_n")
                .orderBy(col(ImageSchema.LABEL), col(ImageSchema.ID))
                .limit(PER_CLASS * MAX_CLASSES);
        return Augmenter.augment(firstPerClass, config).where(col(Augmenter.COPY).leq(MAX_COPIES)).collectAsList();
    }

    /**
     * Draws the rows of {@link #sample}: per class one line of groups, each group an original then
     * its copies in copy order.
     */
    static BufferedImage render(List<Row> rows) {
        if (rows.isEmpty()) {
            return new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        }
        Row first = rows.get(0);
        int h = first.getInt(first.fieldIndex(ImageSchema.HEIGHT));
        int w = first.getInt(first.fieldIndex(ImageSchema.WIDTH));
        int scale = Math.max(1, Math.round((float) TARGET_TILE / Math.max(h, w)));
        int tileW = w * scale;
        int tileH = h * scale;
        // class -> source id -> rows in copy order
        Map<Integer, Map<String, List<Row>>> byClass = new LinkedHashMap<>();
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt((Row r) -> r.getInt(r.fieldIndex(ImageSchema.LABEL)))
                .thenComparing(r -> r.getString(r.fieldIndex(Augmenter.SOURCE_ID)))
                .thenComparingInt(r -> r.getInt(r.fieldIndex(Augmenter.COPY))));
        for (Row r : sorted) {
            byClass.computeIfAbsent(r.getInt(r.fieldIndex(ImageSchema.LABEL)), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.getString(r.fieldIndex(Augmenter.SOURCE_ID)), k -> new ArrayList<>()).add(r);
        }
        int perGroup = byClass.values().stream().flatMap(m -> m.values().stream()).mapToInt(List::size).max()
                .orElse(1);
        int groups = byClass.values().stream().mapToInt(Map::size).max().orElse(1);
        int groupWidth = perGroup * (tileW + GAP);
        int width = LABEL_WIDTH + groups * groupWidth + (groups - 1) * GROUP_GAP + GAP;
        int height = HEADER + byClass.size() * (tileH + GAP) + GAP;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        int y = HEADER;
        for (Map<String, List<Row>> sources : byClass.values()) {
            int x = LABEL_WIDTH;
            String label = null;
            for (List<Row> group : sources.values()) {
                for (int i = 0; i < group.size(); i++) {
                    Row r = group.get(i);
                    if (label == null) {
                        label = r.schema().getFieldIndex(ImageSchema.LABEL_NAME).isDefined()
                                ? r.getString(r.fieldIndex(ImageSchema.LABEL_NAME))
                                : String.valueOf(r.getInt(r.fieldIndex(ImageSchema.LABEL)));
                    }
                    int tx = x + i * (tileW + GAP);
                    drawTile(img, r, tx, y, scale);
                    if (r.getInt(r.fieldIndex(Augmenter.COPY)) == 0) {
                        g.setColor(ORIGINAL_FRAME);
                        g.drawRect(tx - 1, y - 1, tileW + 1, tileH + 1);
                    }
                }
                x += groupWidth + GROUP_GAP;
            }
            text(g, label, 6, y + tileH / 2 + 5);
            y += tileH + GAP;
        }
        text(g, "class | original (framed), then its augmented copies", LABEL_WIDTH, HEADER - 6);
        g.dispose();
        return img;
    }

    /** One image row ({@link ImageSchema}) drawn at {@code scale} pixels per pixel, e.g. as a thumbnail. */
    public static BufferedImage tile(Row r, int scale) {
        BufferedImage img = new BufferedImage(r.getInt(r.fieldIndex(ImageSchema.WIDTH)) * scale,
                r.getInt(r.fieldIndex(ImageSchema.HEIGHT)) * scale, BufferedImage.TYPE_INT_RGB);
        drawTile(img, r, 0, 0, scale);
        return img;
    }

    private static void drawTile(BufferedImage img, Row r, int x0, int y0, int scale) {
        int h = r.getInt(r.fieldIndex(ImageSchema.HEIGHT));
        int w = r.getInt(r.fieldIndex(ImageSchema.WIDTH));
        int c = r.getInt(r.fieldIndex(ImageSchema.CHANNELS));
        List<Float> px = r.getList(r.fieldIndex(ImageSchema.PIXELS));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = (y * w + x) * c;
                int rgb = c == 1 ? gray(byteOf(px.get(base)))
                        : byteOf(px.get(base)) << 16 | byteOf(px.get(base + 1)) << 8 | byteOf(px.get(base + 2));
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                    }
                }
            }
        }
    }

    private static int byteOf(float v) {
        return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
    }

    private static int gray(int g) {
        return g << 16 | g << 8 | g;
    }

    /** Draws text if the JVM has fonts; a preview without labels is still a preview. */
    private static void text(Graphics2D g, String s, int x, int y) {
        try {
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(s, x, y);
        } catch (AWTError | LinkageError | InternalError | RuntimeException e) {
            // no fonts (e.g. a minimal container): leave the labels out
        }
    }
}
