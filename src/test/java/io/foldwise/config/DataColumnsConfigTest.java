package io.foldwise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** data.format = parquet | table and data.columns from HOCON. */
class DataColumnsConfigTest {
    @Test
    void defaultsAndOverrides() {
        DataConfig defaults = ConfigLoader.load(null, List.of()).data();
        assertThat(defaults.columns()).isEqualTo(new DataColumns("id", "label", "image", Optional.empty()));

        DataConfig table = ConfigLoader.load(null, List.of("data.format=table", "data.train=db.images",
                "data.columns.id=key", "data.columns.label=digit", "data.columns.image=png",
                "data.columns.path=uri")).data();
        assertThat(table.format()).isEqualTo(DataFormat.TABLE);
        assertThat(table.format().columnar()).isTrue();
        assertThat(table.train()).isEqualTo("db.images");
        assertThat(table.columns()).isEqualTo(new DataColumns("key", "digit", "png", Optional.of("uri")));
        assertThat(ConfigLoader.load(null, List.of("data.format=PARQUET")).data().format())
                .isEqualTo(DataFormat.PARQUET);
    }

    @Test
    void aBlankColumnNameIsAConfigErrorNamingTheKey() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("data.format=parquet", "data.columns.image=\"\"")));
        assertThat(e).isNotNull();
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.getMessage()).contains("data.columns.image");
    }
}
