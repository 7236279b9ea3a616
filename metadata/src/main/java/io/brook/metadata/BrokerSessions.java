package io.brook.metadata;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * When each broker last heartbeated the active controller: soft state, never written to the log.
 * A new controller starts with no sessions, and a broker's session starts the first time the
 * controller looks at it, so after failover every broker gets a full session timeout to find the
 * new controller. Controller thread only.
 */
final class BrokerSessions {

    private final Map<Integer, Long> lastContactMs = new HashMap<>();

    /** The broker was heard from at {@code nowMs} (a clock that steps back never shortens a session). */
    void touch(int nodeId, long nowMs) {
        lastContactMs.merge(nodeId, nowMs, Math::max);
    }

    /** True if the broker has not been heard from for longer than {@code timeoutMs}. */
    boolean expired(int nodeId, long nowMs, long timeoutMs) {
        long last = lastContactMs.computeIfAbsent(nodeId, id -> nowMs);
        return nowMs - last > timeoutMs;
    }

    /** When the broker was last heard from, if it has a session yet. */
    OptionalLong lastContactMs(int nodeId) {
        Long last = lastContactMs.get(nodeId);
        return last == null ? OptionalLong.empty() : OptionalLong.of(last);
    }

    void remove(int nodeId) {
        lastContactMs.remove(nodeId);
    }
}
