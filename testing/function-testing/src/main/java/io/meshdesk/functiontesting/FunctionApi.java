package io.meshdesk.functiontesting;

import java.util.Map;
import java.util.function.BiFunction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.meshdesk.identity.testing.TestTokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/**
 * A function under {@code @QuarkusTest} as an HTTP client sees it: a JSON POST to
 * {@code /<function>} with a bearer token. Each function's own test {@code Api} says which caller
 * signs which call (its rules differ); the request, the reading of the body and the 200 check are
 * the same everywhere and live here.
 */
public final class FunctionApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionApi() {}

    /** A JSON request with {@code Authorization: Bearer <token>}; the caller adds the body and posts. */
    public static RequestSpecification as(String token) {
        return given().contentType("application/json").header("Authorization", TestTokens.bearer(token));
    }

    /**
     * POSTs {@code body} to {@code /<function>}, signed with the token {@code tokenFor} picks from
     * the function's name and the body as JSON.
     */
    public static Response call(String function, Object body, BiFunction<String, JsonNode, String> tokenFor) {
        return as(tokenFor.apply(function, parse(body))).body(body).post("/" + function);
    }

    /**
     * The body as JSON, whether a test passed a map or a raw string; a string that is no JSON (a
     * hostile-input test's) reads as JSON null, so the caller falls back to its default signer.
     */
    public static JsonNode parse(Object body) {
        try {
            return body instanceof String s ? JSON.readTree(s) : JSON.valueToTree(body);
        } catch (JsonProcessingException e) {
            return JSON.nullNode();
        }
    }

    /** The answer's JSON object, after checking it is a 200. */
    public static Map<String, Object> ok(Response r) {
        r.then().statusCode(200);
        return r.jsonPath().getMap("$");
    }
}
