package io.foldwise.train;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;

/**
 * Reads Java-serialized objects with this application's class loader. commons-lang3's
 * {@code SerializationUtils.deserialize} resolves classes with the loader that loaded commons-lang3,
 * which under spark-submit is Spark's, not the application jar's: a trial's outcome would not be
 * found on a cluster.
 */
final class JavaBytes {
    private JavaBytes() {
    }

    @SuppressWarnings("unchecked")
    static <T> T read(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(desc.getName(), false, JavaBytes.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            return (T) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a serialized object", e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot read a serialized object: " + e.getMessage(), e);
        }
    }
}
