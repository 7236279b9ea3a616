package io.brook.metadata;

/**
 * The controller's answer to a broker heartbeat, valid once the heartbeat's records commit.
 *
 * @param fenced true while the broker may not lead or join ISRs (not caught up yet, or declared dead)
 * @param shouldReRegister true if the broker's epoch is over (it was fenced by the controller):
 *     it must drop its partition roles and register again
 */
public record HeartbeatReply(boolean fenced, boolean shouldReRegister) {
}
