package io.foldwise.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run in a child JVM by {@link StreamedMinibatchesIT}: tries to hold {@code rows x columns} floats
 * off-heap at once, as materialising a fold's minibatches would, and prints whether it could.
 */
public final class OffHeapProbe {
    private OffHeapProbe() {
    }

    public static void main(String[] args) {
        long rows = Long.parseLong(args[0]);
        long columns = Long.parseLong(args[1]);
        INDArray fold = Nd4j.create(DataType.FLOAT, rows, columns);
        System.out.println("allocated " + fold.length() * 4 + " bytes");
    }
}
