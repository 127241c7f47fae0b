package io.meshdesk.problem;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Regressions of issue 15: lenient typing changed state where a 400 was promised. */
class StrictInputTest {

    enum Colour {
        RED,
        GREEN
    }

    record Input(
            String id, Colour colour, Boolean flag, Integer count, List<String> names, Map<String, Integer> levels) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @ParameterizedTest(name = "{0} is refused, naming {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"id\": true}                 | id",
                "{\"id\": 17}                   | id",
                "{\"id\": 1.5}                  | id",
                "{\"id\": {\"a\": 1}}           | id",
                "{\"colour\": 0}                | colour",
                "{\"flag\": 2}                  | flag",
                "{\"flag\": \"true\"}           | flag",
                "{\"count\": \"5\"}             | count",
                "{\"count\": 1.5}               | count",
                "{\"count\": true}              | count",
                "{\"names\": \"en\"}            | names",
                "{\"names\": [1]}               | names[0]",
                "{\"levels\": {\"billing\": \"3\"}} | levels.billing",
            })
    void aValueOfTheWrongJsonTypeIsRefusedNotCoerced(String body, String field) {
        assertThatThrownBy(() -> FunctionInput.read(json(body), Input.class))
                .isInstanceOfSatisfying(Problem.class, p -> {
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.field()).isEqualTo(field);
                    assertThat(p.detail()).contains(field);
                });
    }

    @Test
    void valuesOfTheRightTypeAreRead() throws Exception {
        Input in = FunctionInput.read(
                json("{\"id\":\"a\",\"colour\":\"GREEN\",\"flag\":false,\"count\":3,"
                        + "\"names\":[\"x\"],\"levels\":{\"b\":2},\"unknown\":1}"),
                Input.class);
        assertThat(in).isEqualTo(new Input("a", Colour.GREEN, false, 3, List.of("x"), Map.of("b", 2)));
    }

    @Test
    void aBodyNestedTenThousandDeepIsABadRequestNotAnError() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        JsonBodies.Parsed parsed = JsonBodies.parse(deep.getBytes());
        assertThat(parsed.problem().status()).isEqualTo(400);
        assertThat(parsed.problem().detail()).contains("nested deeper than " + JsonBodies.MAX_DEPTH);
    }

    @Test
    void aNulCharacterAnywhereIsRefusedNamingTheField() {
        JsonBodies.Parsed parsed = JsonBodies.parse("{\"data\":{\"items\":[\"ok\",\"a\\u0000b\"]}}".getBytes());
        assertThat(parsed.problem().status()).isEqualTo(400);
        assertThat(parsed.problem().field()).isEqualTo("data.items[1]");
    }

    @Test
    void aBodyThatIsNotJsonSaysWhere() {
        JsonBodies.Parsed parsed = JsonBodies.parse("{\"a\": nope}".getBytes());
        assertThat(parsed.problem().detail()).contains("not valid JSON (line 1, column");
    }
}
