/**
 * Controller election through the Vert.x cluster manager (Hazelcast or ZooKeeper, whichever the
 * clustered {@code Vertx} was built with), following §8 of {@code shared/notes/controller-election.md}:
 * the cluster lock {@code brook.controller} decides who may become controller, the controller epoch is
 * allocated by compare-and-set on the cluster counter {@code brook.controller.epoch}, every broker
 * persists the highest epoch it accepted and fences lower ones, and the controller acts only while a
 * recent check proved that nobody was elected after it.
 *
 * <p>Entry point: {@link io.brook.cluster.election.ControllerElection}.
 */
package io.brook.cluster.election;
