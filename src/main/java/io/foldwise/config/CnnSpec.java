package io.foldwise.config;

import java.util.List;
import java.util.stream.Collectors;

/** A convolutional network: conv/pool blocks, then dense hidden layers, then the output layer. */
public record CnnSpec(List<CnnBlock> blocks, List<Integer> dense, Activation activation, double leakyAlpha)
        implements ArchitectureSpec {
    public CnnSpec {
        blocks = List.copyOf(blocks);
        dense = List.copyOf(dense);
        Problems p = new Problems();
        p.check(!blocks.isEmpty(), "train.architecture.cnn", "list at least one conv or pool block", "[]");
        for (int i = 0; i < blocks.size(); i++) {
            String key = "train.architecture.cnn[" + i + "]";
            CnnBlock b = blocks.get(i);
            p.check(b.kernel() >= 1, key + ".kernel", "be >= 1", b.kernel());
            p.check(b.stride() >= 1, key + ".stride", "be >= 1", b.stride());
            if (b instanceof CnnBlock.Conv c) {
                p.check(c.filters() >= 1, key + ".conv", "be >= 1 filter", c.filters());
                p.check(c.padding() >= 0, key + ".padding", "be >= 0", c.padding());
            }
        }
        ArchitectureSpec.checkDense(dense, "train.architecture.dense", p);
        ArchitectureSpec.checkAlpha(leakyAlpha, "train.architecture", p);
        p.throwIfAny();
    }

    @Override
    public String describe() {
        String feature = blocks.stream().map(CnnBlock::describe).collect(Collectors.joining(","));
        String head = dense.stream().map(String::valueOf).collect(Collectors.joining(","));
        return "cnn[" + feature + "|" + head + "]/" + ArchitectureSpec.activationSuffix(activation, leakyAlpha);
    }

    @Override
    public void checkFits(ImageShape input, String key, Problems problems) {
        int h = input.height();
        int w = input.width();
        for (int i = 0; i < blocks.size(); i++) {
            CnnBlock b = blocks.get(i);
            int nh = b.outputSide(h);
            int nw = b.outputSide(w);
            if (nh < 1 || nw < 1) {
                String what = b instanceof CnnBlock.Conv ? "kernel " + b.kernel() + "x" + b.kernel()
                        + " is larger than its " + h + "x" + w + " input"
                        : "pool " + b.kernel() + "x" + b.kernel() + " reduces its " + h + "x" + w + " input below 1x1";
                problems.add(key + ".cnn[" + i + "]: " + what
                        + " (input " + input + "); use a smaller kernel, padding, or fewer blocks");
                return;
            }
            h = nh;
            w = nw;
        }
    }
}
