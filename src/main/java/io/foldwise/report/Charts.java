package io.foldwise.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart off-screen (headless) and rendered to PNG bytes, so
 * that the caller can write them through the Hadoop FileSystem. Every chart has axis labels and a
 * legend.
 */
final class Charts {
    static {
        // Charts are drawn off-screen; a cluster driver usually has no display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Width and height of line charts, in pixels. */
    static final int WIDTH = 760;
    static final int HEIGHT = 430;

    static final Color TRAIN = new Color(0x1f, 0x77, 0xb4);
    static final Color CV = new Color(0xd6, 0x5f, 0x0e);
    static final Color BASELINE = new Color(0x55, 0x55, 0x55);
    /** Colours of successive folds. */
    static final Color[] PALETTE = {new Color(0x1f, 0x77, 0xb4), new Color(0xd6, 0x5f, 0x0e),
        new Color(0x2c, 0xa0, 0x2c), new Color(0xd6, 0x27, 0x28), new Color(0x94, 0x67, 0xbd),
        new Color(0x8c, 0x56, 0x4b), new Color(0xe3, 0x77, 0xc2), new Color(0x7f, 0x7f, 0x7f),
        new Color(0xbc, 0xbd, 0x22), new Color(0x17, 0xbe, 0xcf)};

    private Charts() {
    }

    /** How the x axis is scaled. */
    enum XAxis {
        LINEAR, LOG, INTEGER
    }

    /**
     * One line of a chart.
     *
     * @param std    ± this around {@code y} is drawn as a band; null for a plain line. NaN entries
     *               (fewer than two folds) draw no band at that point
     * @param dashed dashed instead of solid
     */
    record Series(String name, double[] x, double[] y, double[] std, Color color, boolean dashed) {
        static Series band(String name, double[] x, double[] y, double[] std, Color color) {
            return new Series(name, x, y, std, color, false);
        }

        static Series line(String name, double[] x, double[] y, Color color, boolean dashed) {
            return new Series(name, x, y, null, color, dashed);
        }
    }

    /** A line chart: series with {@code std} get shaded ± std bands, the others are plain lines. */
    static JFreeChart lines(String title, String xLabel, String yLabel, XAxis xAxis, List<Series> series) {
        ValueAxis x = switch (xAxis) {
            case LOG -> logAxis(xLabel, series);
            case INTEGER -> {
                NumberAxis a = new NumberAxis(xLabel);
                a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                a.setAutoRangeIncludesZero(false);
                yield a;
            }
            case LINEAR -> new NumberAxis(xLabel);
        };
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);

        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        DeviationRenderer bandRenderer = new DeviationRenderer(true, true);
        bandRenderer.setAlpha(0.18f);
        XYSeriesCollection plain = new XYSeriesCollection();
        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, true);
        for (Series s : series) {
            if (s.std() != null) {
                YIntervalSeries band = new YIntervalSeries(s.name(), false, true);
                for (int i = 0; i < s.x().length; i++) {
                    if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                        double d = Double.isFinite(s.std()[i]) ? s.std()[i] : 0;
                        band.add(s.x()[i], s.y()[i], s.y()[i] - d, s.y()[i] + d);
                    }
                }
                int k = bands.getSeriesCount();
                bands.addSeries(band);
                style(bandRenderer, k, s);
                bandRenderer.setSeriesFillPaint(k, s.color());
            } else {
                XYSeries line = new XYSeries(s.name(), false, true);
                for (int i = 0; i < s.x().length; i++) {
                    if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                        line.add(s.x()[i], s.y()[i]);
                    }
                }
                int k = plain.getSeriesCount();
                plain.addSeries(line);
                style(lineRenderer, k, s);
                lineRenderer.setSeriesShapesVisible(k, line.getItemCount() < 40);
            }
        }
        int d = 0;
        if (bands.getSeriesCount() > 0) {
            plot.setDataset(d, bands);
            plot.setRenderer(d++, bandRenderer);
        }
        if (plain.getSeriesCount() > 0) {
            plot.setDataset(d, plain);
            plot.setRenderer(d, lineRenderer);
        }
        return finish(title, plot);
    }

    private static void style(XYLineAndShapeRenderer r, int k, Series s) {
        r.setSeriesPaint(k, s.color());
        r.setSeriesStroke(k, s.dashed()
                ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 5f}, 0f)
                : new BasicStroke(2f));
    }

    /** A log axis whose range covers every x with a margin (a single value gets one too). */
    private static LogAxis logAxis(String label, List<Series> series) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.x()) {
                if (v > 0 && Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        LogAxis a = new LogAxis(label);
        a.setNumberFormatOverride(new DecimalFormat("0.###E0"));
        if (min <= max) {
            a.setRange(min / 2.5, max * 2.5);
            if (Math.log10(max / min) >= 1) {
                // one labelled tick per decade; finer ticks would label 1.585E-4 and the like
                a.setTickUnit(new NumberTickUnit(1.0), false, true);
            }
        }
        return a;
    }

    /**
     * A confusion matrix as a heat map: rows actual classes (top to bottom), columns predicted
     * classes, cell colour the share of the actual class (row-normalised, so that classes of
     * different sizes compare), cell text the count.
     */
    static JFreeChart confusion(String title, List<String> labels, long[][] counts) {
        int n = labels.size();
        double[][] xyz = new double[3][n * n];
        long[] rowTotals = new long[n];
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                rowTotals[a] += counts[a][p];
            }
        }
        XYPlot plot = new XYPlot();
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                int i = a * n + p;
                double share = rowTotals[a] == 0 ? 0 : (double) counts[a][p] / rowTotals[a];
                xyz[0][i] = p;
                xyz[1][i] = a;
                xyz[2][i] = share;
                if (counts[a][p] > 0 && n <= 30) {
                    XYTextAnnotation text = new XYTextAnnotation(Long.toString(counts[a][p]), p, a);
                    text.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, n <= 12 ? 13 : 9));
                    text.setPaint(share > 0.5 ? Color.WHITE : Color.BLACK);
                    plot.addAnnotation(text);
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("share of the actual class", xyz);
        String[] names = labels.toArray(String[]::new);
        SymbolAxis x = new SymbolAxis("predicted class", names);
        SymbolAxis y = new SymbolAxis("actual class", names);
        y.setInverted(true);
        for (SymbolAxis axis : List.of(x, y)) {
            axis.setGridBandsVisible(false);
            axis.setLowerMargin(0);
            axis.setUpperMargin(0);
            axis.setRange(-0.5, n - 0.5);
        }
        XYBlockRenderer renderer = new XYBlockRenderer();
        Blues scale = new Blues();
        renderer.setPaintScale(scale);
        plot.setDataset(data);
        plot.setRenderer(renderer);
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        NumberAxis legendAxis = new NumberAxis("share of the actual class (colour); numbers are counts");
        legendAxis.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        legend.setMargin(new RectangleInsets(6, 40, 6, 40));
        legend.setStripWidth(12);
        legend.setFrame(BlockBorder.NONE);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** White (0) to dark blue (1). */
    private static final class Blues implements PaintScale, Serializable {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double v = Double.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
            return new Color(mix(255, 8, v), mix(255, 48, v), mix(255, 107, v));
        }

        private static int mix(int from, int to, double t) {
            return (int) Math.round(from + (to - from) * Math.sqrt(t));
        }
    }

    private static JFreeChart finish(String title, XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setDomainGridlinesVisible(true);
        plot.setRangeGridlinesVisible(true);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setFrame(BlockBorder.NONE);
        return chart;
    }

    /** The chart as PNG bytes. */
    static byte[] png(JFreeChart chart, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering chart " + chart.getTitle().getText(), e);
        }
        return out.toByteArray();
    }
}
