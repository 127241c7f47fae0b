package io.meshdesk.routing.presence;

import java.util.List;
import java.util.Map;

import io.meshdesk.problem.Problem;
import io.meshdesk.routing.Validation;

/** Input of {@code agent-register}; checked as it is built, so a bad one never reaches etcd. */
public record AgentRegistration(String agentId, String displayName, Map<String, Integer> skills,
        List<String> languages, Integer capacity, Integer weight) {

    public AgentRegistration {
        agentId = Validation.id("agentId", agentId);
        displayName = displayName == null || displayName.isBlank() ? agentId : displayName.trim();
        skills = Validation.proficiencies("skills", skills);
        if (languages == null || languages.isEmpty()) {
            throw Problem.invalid("languages", "field 'languages' must list at least one language the agent speaks");
        }
        languages = languages.stream().map(l -> Validation.required("languages", l).toLowerCase()).toList();
        if (capacity != null && capacity < 0) {
            throw Problem.invalid("capacity", "field 'capacity' is " + capacity
                    + "; it must be zero or more capacity units (a phone call takes 100, a chat 25)");
        }
        capacity = capacity == null ? 100 : capacity;
        weight = Validation.between("weight", weight, 100, 0, 100);
    }
}
