package io.meshdesk.reliability;

import java.util.HashMap;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Anything a JSON body can hold, weighted towards what breaks servers. */
final class JsonValues {

    /** Values a function might accept, so that fuzzed bodies also reach the functions' own checks. */
    private static final List<Object> PLAUSIBLE = List.of(
            "web",
            "phone",
            "app",
            "en",
            "zh-Hans",
            "available",
            "away",
            "offline",
            "resolved",
            "unresolved",
            "normal",
            "urgent",
            "agent",
            "customer",
            "open",
            "closed",
            "fuzz-a",
            "fuzz-s",
            "00000000-0000-0000-0000-000000000001",
            0,
            1,
            3,
            5,
            25,
            100,
            -1,
            true,
            false);

    private JsonValues() {}

    static Arbitrary<Object> value() {
        return Arbitraries.recursive(
                JsonValues::scalar,
                inner -> Arbitraries.oneOf(
                        inner.list().ofMaxSize(3).map(l -> (Object) l),
                        Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8), inner)
                                .ofMaxSize(3)
                                .map(m -> (Object) new HashMap<>(m))),
                0,
                3);
    }

    private static Arbitrary<Object> scalar() {
        Arbitrary<String> any = Arbitraries.strings().ofMaxLength(24).map(JsonValues::noLoneSurrogates);
        Arbitrary<String> idLike = Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .withChars("-._:@/ \u0000")
                .ofMinLength(0)
                .ofMaxLength(140);
        Arbitrary<String> huge = Arbitraries.integers().between(129, 70_000).map("x"::repeat);
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(PLAUSIBLE)),
                Tuple.of(3, any.map(s -> (Object) s)),
                Tuple.of(3, idLike.map(s -> (Object) s)),
                Tuple.of(1, huge.map(s -> (Object) s)),
                Tuple.of(2, Arbitraries.integers().map(i -> (Object) i)),
                Tuple.of(1, Arbitraries.longs().map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.doubles().map(d -> (Object) d)),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
                Tuple.of(1, Arbitraries.just((Object) null)));
    }

    /** A lone surrogate is not text; the client could not even encode it. */
    private static String noLoneSurrogates(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isSurrogate(c) ? '?' : c);
        }
        return out.toString();
    }
}
