package io.meshdesk.problem;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads a request body as JSON within bounds a caller cannot stretch: nesting depth, and no NUL
 * character anywhere (PostgreSQL cannot store one, and no id or text needs it). Every way a body
 * can fail becomes a 400 that says where.
 */
public final class JsonBodies {

    /** Deeper than any function's input needs (a transcript is four levels); 10,000 is an attack. */
    public static final int MAX_DEPTH = 32;

    private static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .build())
            .build();

    private JsonBodies() {}

    /** The parsed body, or the problem with it. */
    public record Parsed(JsonNode json, Problem problem) {}

    public static Parsed parse(byte[] body) {
        JsonNode json;
        try {
            json = READER.readTree(body);
        } catch (StreamConstraintsException e) {
            return new Parsed(
                    null,
                    Problem.badRequest("the request body is nested deeper than " + MAX_DEPTH
                            + " levels; no function takes input that deep"));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return new Parsed(
                    null,
                    Problem.badRequest("the request body is not valid JSON"
                            + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                            + ": " + RequestGate.clip(e.getOriginalMessage()) + "; send a JSON object"));
        } catch (IOException e) {
            return new Parsed(null, Problem.badRequest("the request body cannot be read: " + e.getMessage()));
        }
        if (json == null || json.isMissingNode()) {
            return new Parsed(null, Problem.badRequest("the request body is empty; send a JSON object"));
        }
        String nul = findNul(json, "");
        if (nul != null) {
            String field = nul.isEmpty() ? null : nul;
            return new Parsed(
                    null,
                    Problem.invalid(
                            field,
                            (field == null ? "the body" : "field '" + field + "'")
                                    + " contains a NUL character (U+0000), which cannot be stored; remove it"));
        }
        return new Parsed(json, null);
    }

    /** The path of the first string or member name holding U+0000, or null. */
    private static String findNul(JsonNode node, String path) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0 ? path : null;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                String child = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
                if (member.getKey().indexOf('\0') >= 0) {
                    return child.replace("\0", "\\u0000");
                }
                String found = findNul(member.getValue(), child);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = findNul(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
