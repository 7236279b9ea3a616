package io.brook.verticles.groups;

import io.brook.groups.GroupMessages;

/**
 * Inside one broker: a group request for the coordinator of one {@code __consumer_offsets}
 * partition ({@link io.brook.protocol.Addresses#localGroupCoordinator}), already checked and in the state machine's
 * own form ({@code GroupMessages.*Request}); answered with an {@link Answer}.
 */
record CoordinatorCall(Object request) {

  record Answer(GroupMessages.GroupResponse response) {}
}
