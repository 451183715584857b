package io.tracefold.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleOptionsTest {

  @Test
  void parse_noArguments_inMemoryDefaults() throws Exception {
    ExampleOptions options = ExampleOptions.parse(new String[0], Map.of());

    assertThat(options).isEqualTo(ExampleOptions.defaults());
    assertThat(options.postgres()).isFalse();
    assertThat(options.jdbcUrl()).isNull();
  }

  @Test
  void parse_postgresFlagWithoutUrl_embeddedPostgres() throws Exception {
    ExampleOptions options = ExampleOptions.parse(new String[] {"--postgres"}, Map.of());

    assertThat(options.postgres()).isTrue();
    assertThat(options.jdbcUrl()).isNull();
  }

  @Test
  void parse_postgresFlagWithUrl_usesTheUrl() throws Exception {
    ExampleOptions options =
        ExampleOptions.parse(new String[] {"--postgres=jdbc:postgresql://db:5432/shop"}, Map.of());

    assertThat(options.postgres()).isTrue();
    assertThat(options.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/shop");
  }

  @Test
  void parse_environment_switchesTheStoreAndFlagsStillWin() throws Exception {
    Map<String, String> env = Map.of(
        "TRACEFOLD_EXAMPLE_JDBC_URL", "jdbc:postgresql://db/shop",
        "TRACEFOLD_EXAMPLE_JDBC_USER", "shop",
        "TRACEFOLD_EXAMPLE_JDBC_PASSWORD", "secret");

    ExampleOptions fromEnv = ExampleOptions.parse(new String[0], env);
    ExampleOptions overridden =
        ExampleOptions.parse(new String[] {"--memory"}, Map.of("TRACEFOLD_EXAMPLE_STORE", "postgres"));

    assertThat(fromEnv.postgres()).isTrue();
    assertThat(fromEnv.jdbcUrl()).isEqualTo("jdbc:postgresql://db/shop");
    assertThat(fromEnv.jdbcUser()).isEqualTo("shop");
    assertThat(fromEnv.jdbcPassword()).isEqualTo("secret");
    assertThat(overridden.postgres()).isFalse();
  }

  @Test
  void parse_fromStore_needsAPersistentStoreAndAnEntity() throws Exception {
    ExampleOptions options = ExampleOptions.parse(
        new String[] {"--from-store", "--postgres=jdbc:postgresql://db/shop", "--entity", "StockItem:espresso-1"},
        Map.of());
    assertThat(options.fromStore()).isTrue();
    assertThat(options.entity()).isEqualTo("StockItem:espresso-1");

    assertThatThrownBy(() -> ExampleOptions.parse(new String[] {"--from-store", "--postgres", "--entity", "StockItem:x"},
        Map.of())).isInstanceOf(ExampleOptions.UsageException.class).hasMessageContaining("--postgres=JDBC_URL");
    assertThatThrownBy(() -> ExampleOptions.parse(
        new String[] {"--from-store", "--postgres=jdbc:postgresql://db/shop"}, Map.of()))
        .isInstanceOf(ExampleOptions.UsageException.class).hasMessageContaining("--entity");
    assertThat(ExampleOptions.usage()).contains("--from-store");
  }

  @Test
  void parse_sizesEntityAndHtml_allApplied() throws Exception {
    ExampleOptions options = ExampleOptions.parse(
        new String[] {"--shoppers", "2", "--orders=10", "--snapshot-every", "30", "--entity", "CustomerOrder:web-1-1",
            "--html", "out/graph.html", "--full", "--seed", "3"},
        Map.of());

    assertThat(options.shoppers()).isEqualTo(2);
    assertThat(options.ordersPerShopper()).isEqualTo(10);
    assertThat(options.snapshotThreshold()).isEqualTo(30);
    assertThat(options.entity()).isEqualTo("CustomerOrder:web-1-1");
    assertThat(options.html()).isEqualTo(Path.of("out/graph.html"));
    assertThat(options.fullTree()).isTrue();
    assertThat(options.seed()).isEqualTo(3);
  }

  @Test
  void parse_badInput_usageErrorNamingTheFlag() {
    assertThatThrownBy(() -> ExampleOptions.parse(new String[] {"--orders", "0"}, Map.of()))
        .isInstanceOf(ExampleOptions.UsageException.class).hasMessageContaining("--orders");
    assertThatThrownBy(() -> ExampleOptions.parse(new String[] {"--shoppers"}, Map.of()))
        .isInstanceOf(ExampleOptions.UsageException.class).hasMessageContaining("--shoppers needs a value");
    assertThatThrownBy(() -> ExampleOptions.parse(new String[] {"--entity", "espresso"}, Map.of()))
        .isInstanceOf(ExampleOptions.UsageException.class).hasMessageContaining("Type:id");
    assertThatThrownBy(() -> ExampleOptions.parse(new String[] {"--fast"}, Map.of()))
        .isInstanceOf(ExampleOptions.UsageException.class).hasMessageContaining("--fast");
    assertThatThrownBy(() -> ExampleOptions.parse(new String[0], Map.of("TRACEFOLD_EXAMPLE_STORE", "mysql")))
        .isInstanceOf(ExampleOptions.UsageException.class).hasMessageContaining("TRACEFOLD_EXAMPLE_STORE");
  }
}
