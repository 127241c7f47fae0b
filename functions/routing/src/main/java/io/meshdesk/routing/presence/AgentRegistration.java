package io.meshdesk.routing.presence;

import java.util.List;
import java.util.Map;

import io.meshdesk.problem.Problem;
import io.meshdesk.routing.validation.Validation;

/** Input of {@code agent-register}; checked as it is built, so a bad one never reaches etcd. */
public record AgentRegistration(
        String agentId,
        String displayName,
        Map<String, Integer> skills,
        List<String> languages,
        Integer capacity,
        Integer weight) {

    public AgentRegistration {
        agentId = Validation.id("agentId", agentId);
        displayName = Validation.optionalText("displayName", displayName, Validation.MAX_DISPLAY_NAME);
        displayName = displayName == null ? agentId : displayName;
        skills = Validation.proficiencies("skills", skills);
        if (languages == null || languages.isEmpty()) {
            throw Problem.invalid("languages", "field 'languages' must list at least one language the agent speaks");
        }
        Validation.atMost("languages", languages.size(), Validation.MAX_LANGUAGES);
        languages = languages.stream()
                .map(l -> Validation.language("languages", l))
                .distinct()
                .toList();
        if (capacity != null && capacity > Validation.MAX_CAPACITY) {
            throw Problem.invalid(
                    "capacity",
                    "field 'capacity' is " + capacity + "; at most " + Validation.MAX_CAPACITY
                            + " capacity units (a phone call takes 100, a chat 25)");
        }
        if (capacity != null && capacity < 0) {
            throw Problem.invalid(
                    "capacity",
                    "field 'capacity' is " + capacity
                            + "; it must be zero or more capacity units (a phone call takes 100, a chat 25)");
        }
        capacity = capacity == null ? 100 : capacity;
        weight = Validation.between("weight", weight, 100, 0, 100);
    }
}
