package io.brook.protocol.message;

/**
 * Published by the active controller on {@code brook.internal.controller.announce} every second:
 * who it is and its epoch. Brokers follow the highest epoch they have seen and ignore older ones.
 */
public record ControllerAnnouncement(int controllerId, long controllerEpoch) {}
