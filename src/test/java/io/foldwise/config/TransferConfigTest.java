package io.foldwise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.select.Grid;
import io.foldwise.select.GridPoint;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransferConfigTest {

    private static FoldwiseConfig load(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    @Test
    void defaultIsFromScratch() {
        assertThat(load().train().transfer()).isEqualTo(TransferSpec.SCRATCH);
        assertThat(TransferSpec.SCRATCH.describe()).isEqualTo("scratch");
    }

    @Test
    void readsSourceAndFreezeAsNumberOrAllButOutput() {
        TransferSpec t = load("train.transfer={from=\"hdfs://nn/runs/digits04\",freeze=2}").train().transfer();
        assertThat(t.from()).contains("hdfs://nn/runs/digits04");
        assertThat(t.freeze()).isEqualTo(2);
        assertThat(t.frozenLayers(4)).isEqualTo(2);
        TransferSpec all = load("train.transfer.from=runs/x", "train.transfer.freeze=all-but-output").train().transfer();
        assertThat(all.freeze()).isEqualTo(TransferSpec.ALL_BUT_OUTPUT);
        assertThat(all.frozenLayers(4)).isEqualTo(3);
        assertThat(all.describe()).isEqualTo("runs/x freeze=all-but-output");
        assertThat(load("train.transfer.from=runs/x").train().transfer().freeze()).isZero();
    }

    @Test
    void anEmptyTransferOverrideMeansScratchAndOtherOverridesMergeKeyByKey(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("t.conf"),
                "train.transfer { from = runs/a, freeze = 2 }");
        assertThat(ConfigLoader.load(file, List.of("train.transfer={}")).train().transfer())
                .isEqualTo(TransferSpec.SCRATCH);
        assertThat(ConfigLoader.load(file, List.of("train.transfer={from=runs/b}")).train().transfer())
                .isEqualTo(new TransferSpec(Optional.of("runs/b"), 2));
        assertThat(ConfigLoader.load(null, List.of("train.transfer.freeze=1", "train.transfer.from=runs/c"))
                .train().transfer()).isEqualTo(new TransferSpec(Optional.of("runs/c"), 1));
        assertThat(ConfigLoader.load(file, List.of("train.transfer.freeze=all-but-output")).train().transfer())
                .isEqualTo(new TransferSpec(Optional.of("runs/a"), TransferSpec.ALL_BUT_OUTPUT));
    }

    @Test
    void badTransferValuesAreNamedWithWhatIsAllowed() {
        assertThatThrownBy(() -> load("train.transfer={from=runs/x,freeze=-1}"))
                .hasMessageContaining("train.transfer.freeze must be a number of leading blocks >= 0 or all-but-output, got -1");
        assertThatThrownBy(() -> load("train.transfer={from=runs/x,freeze=most}"))
                .hasMessageContaining("train.transfer.freeze").hasMessageContaining("\"most\"");
        assertThatThrownBy(() -> load("train.transfer={freeze=1}"))
                .hasMessageContaining("train.transfer.freeze must be 0 without train.transfer.from");
        assertThatThrownBy(() -> load("train.transfer={from=runs/x,frezee=1}"))
                .hasMessageContaining("train.transfer.frezee is not a transfer setting; use from, freeze");
        assertThatThrownBy(() -> load("train.transfer=runs/x"))
                .hasMessageContaining("train.transfer must be an object");
    }

    @Test
    void gridComparesScratchFineTuneAllAndOutputOnlyAsThreePoints() {
        FoldwiseConfig c = load("sweep.grid.transfer=[{},{from=runs/src,freeze=0},{from=runs/src,freeze=all-but-output}]",
                "sweep.grid.l2=[1e-4,1e-3]");
        List<GridPoint> points = Grid.expand(c);
        assertThat(points).hasSize(6);
        assertThat(points).extracting(GridPoint::label).startsWith("transfer=scratch l2=0.0001",
                "transfer=scratch l2=0.001", "transfer=runs/src freeze=0 l2=0.0001");
        assertThat(points.get(4).train().transfer()).isEqualTo(new TransferSpec(Optional.of("runs/src"),
                TransferSpec.ALL_BUT_OUTPUT));
        assertThat(points.stream().map(GridPoint::id).distinct()).hasSize(6);
    }

    @Test
    void gridTransferValuesAreCheckedUnderTheirGridKey() {
        assertThatThrownBy(() -> load("sweep.grid.transfer=[{},{from=runs/src,freeze=lots}]"))
                .hasMessageContaining("sweep.grid.transfer[1]");
    }

    @Test
    void severalArchitecturesWithATransferSourceAreRefused() {
        assertThatThrownBy(() -> load("sweep.grid.transfer=[{},{from=runs/src,freeze=1}]",
                "sweep.grid.architecture=[{mlp=[8]},{mlp=[16]}]"))
                .hasMessageContaining("sweep.grid.architecture lists 2 architectures")
                .hasMessageContaining("train.transfer.from");
        assertThat(load("sweep.grid.transfer=[{},{from=runs/src,freeze=1}]", "sweep.grid.architecture=[{mlp=[8]}]")
                .sweep().gridSize()).isEqualTo(2);
    }
}
