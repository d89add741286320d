package io.foldwise.job;

import io.foldwise.FoldwiseException;
import io.foldwise.config.ArchitectureSpec;
import io.foldwise.config.ImageShape;
import io.foldwise.config.TrainConfig;
import io.foldwise.model.NetworkFactory;
import io.foldwise.model.TransferNetwork;
import io.foldwise.store.ModelFiles;
import io.foldwise.store.Storage;
import io.foldwise.store.TransferSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Where the networks of a job start: from scratch, or from the saved models that
 * {@code train.transfer.from} names. Sources are loaded and checked (input shape, freeze) once,
 * before Spark does any work; a transferred network is built once per train config, on the driver,
 * and every fit of that config (all folds, the refit) starts from the same parameters.
 */
final class Transfers {
    /** The key a source is configured under, for messages. */
    static final String KEY = "train.transfer.from";

    private final ImageShape shape;
    private final Map<String, ModelFiles.Source> sources;
    private final Map<String, ArchitectureSpec> architectures;
    private final Map<List<Object>, Start> starts = new HashMap<>();

    /**
     * The network a fit starts from.
     *
     * @param network its configuration as DL4J JSON (with FrozenLayer wrappers when it freezes layers)
     * @param params  its initial parameters; null = DL4J's random initialisation
     */
    record Start(String network, float[] params) {
    }

    private Transfers(ImageShape shape, Map<String, ModelFiles.Source> sources) {
        this.shape = shape;
        this.sources = sources;
        this.architectures = new LinkedHashMap<>();
        sources.forEach((from, s) -> architectures.put(from, architectureOf(from, s)));
    }

    /** Every network starts from scratch. */
    static Transfers none(ImageShape shape) {
        return new Transfers(shape, Map.of());
    }

    /**
     * Loads the sources {@code trains} name and checks each against {@code shape} and each config's freeze.
     *
     * @throws FoldwiseException (usage) for a missing source, another input shape or a freeze too deep;
     *                           (data) for a file that is not a Foldwise/DL4J model
     */
    static Transfers load(Storage storage, ImageShape shape, Collection<TrainConfig> trains) {
        Map<String, ModelFiles.Source> sources = new LinkedHashMap<>();
        for (TrainConfig t : trains) {
            Optional<String> from = t.transfer().from();
            if (from.isPresent() && !sources.containsKey(from.get())) {
                ModelFiles.Source s = ModelFiles.source(storage, KEY, from.get());
                if (!s.shape().equals(shape)) {
                    throw new FoldwiseException(FoldwiseException.USAGE, KEY + " " + from.get() + ": the source model "
                            + s.provenance().uri() + " takes " + s.shape() + " images (height x width x channels of "
                            + "its run's data section), but data.height/width/channels is " + shape + "; transfer needs "
                            + "the same input shape: set data.height/width/channels to " + s.shape()
                            + " (with ingest.resize / ingest.convertChannels), or choose a source trained on " + shape);
                }
                sources.put(from.get(), s);
            }
        }
        Transfers transfers = new Transfers(shape, sources);
        for (TrainConfig t : trains) {
            t.transfer().from().ifPresent(from -> TransferNetwork.checkFreeze(
                    sources.get(from).network().getLayerWiseConfigurations(), t.transfer()));
        }
        return transfers;
    }

    private static ArchitectureSpec architectureOf(String from, ModelFiles.Source s) {
        try {
            return TransferNetwork.architecture(s.network().getLayerWiseConfigurations());
        } catch (IllegalArgumentException e) {
            throw new FoldwiseException(FoldwiseException.DATA, KEY + " " + from + ": " + s.provenance().uri()
                    + " is not a network Foldwise builds: " + e.getMessage() + "; pass a model a Foldwise run saved", e);
        }
    }

    /** {@code train} as it trains: a transfer config with its source's architecture. */
    TrainConfig resolve(TrainConfig train) {
        return train.transfer().from().map(f -> train.withArchitecture(architectures.get(f))).orElse(train);
    }

    /** The network {@code train} starts from, for {@code numClasses} classes. */
    synchronized Start start(TrainConfig train, int numClasses) {
        return start(train, numClasses, null);
    }

    /** As {@link #start(TrainConfig, int)}, the output layer's loss weighted per class (null: unweighted). */
    synchronized Start start(TrainConfig train, int numClasses, double[] classWeights) {
        TrainConfig t = resolve(train);
        List<Object> key = List.of(t, numClasses, classWeights == null ? List.of() : java.util.Arrays.stream(classWeights).boxed().toList());
        return starts.computeIfAbsent(key, k -> {
            Optional<String> from = t.transfer().from();
            if (from.isEmpty()) {
                return new Start(NetworkFactory.configuration(t, shape, numClasses, classWeights).toJson(), null);
            }
            MultiLayerNetwork net = TransferNetwork.build(sources.get(from.get()).network(), t, numClasses,
                    classWeights);
            return new Start(net.getLayerWiseConfigurations().toJson(), net.params().dup().data().asFloat());
        });
    }

    /**
     * Parameters that {@code train} trains: a transferred network's frozen layers are left out, so
     * that ties go to the model that fits fewer values to the data.
     */
    long trainableParameters(TrainConfig train, int numClasses) {
        if (train.transfer().from().isEmpty()) {
            return NetworkFactory.parameterCount(train, shape, numClasses);
        }
        return NetworkFactory.parameterCount(MultiLayerConfiguration.fromJson(start(train, numClasses).network()), true);
    }

    /** The lineage of every source, in the order first named. */
    List<TransferSource> provenance() {
        return sources.keySet().stream().map(this::provenanceOf).toList();
    }

    /** The lineage of {@code train}'s source, if it has one. */
    Optional<TransferSource> provenance(TrainConfig train) {
        return train.transfer().from().map(this::provenanceOf);
    }

    private TransferSource provenanceOf(String from) {
        return sources.get(from).provenance().withArchitecture(architectures.get(from).describe());
    }
}
