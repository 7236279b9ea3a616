package io.brook.cluster.election;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import io.brook.cluster.election.ControllerEpochStore.Accepted;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * Elects this broker's JVM as the one active controller, through whichever cluster manager the
 * {@code Vertx} was built with (notes §8). One instance per broker JVM.
 *
 * <ul>
 *   <li><b>Campaign:</b> wait for the cluster lock {@value #LOCK_NAME} (not while quarantined).
 *   <li><b>Epoch:</b> the lock holder sets the counter {@value EpochCounter#NAME} from v to
 *       {@code max(v, knownEpoch) + 1} by compare-and-set, persists it, then reports {@code onElected}.
 *   <li><b>Lease:</b> every {@code controller.lease.check.interval.ms} it checks that the counter still
 *       equals its epoch; {@link #mayAct()} is true only while the last successful check started less
 *       than {@code controller.lease.ms} ago, so a frozen or cut-off controller stops acting on its own
 *       clock, long before the cluster manager frees the lock for someone else.
 *   <li><b>Pauses:</b> a gap in that tick stops acting and starts probation; a membership loss after the
 *       pause means step down and quarantine ({@link ControllerLease}).
 *   <li><b>Step down:</b> release the lock only if the counter still equals my epoch (Hazelcast's release is
 *       forceUnlock and would break a newer holder), after raising it to any higher epoch a broker reported.
 *   <li><b>Fencing helpers:</b> {@link #acceptEpoch} persists the highest epoch this broker accepted and
 *       refuses lower ones; {@link #onHigherEpochSeen} makes a fenced controller step down and lift the
 *       counter above the epoch it was fenced with.
 * </ul>
 *
 * <p>Invariants: this node allocates only while holding the lock; an allocated epoch is above the counter
 * and above every epoch this broker persisted, so epochs never go backwards, also across a full restart
 * that resets the Hazelcast counter; {@link #mayAct()} never becomes true from a check that started before
 * a pause.
 *
 * <p>Threads: the state lives on the Vert.x context that called {@link #start}; the listener is called
 * there, and returned futures complete there. {@link #mayAct()}, {@link #isController()}, {@link #epoch()}
 * and {@link #knownEpoch()} may be called from any thread; the other methods may be too (they hop to
 * that context).
 */
public final class ControllerElection {
  public static final String LOCK_NAME = "brook.controller";

  private static final System.Logger LOG = System.getLogger(ControllerElection.class.getName());
  /** Pause between failed cluster operations, so a broken cluster is not hammered. */
  private static final long RETRY_MS = 500;
  /** Pause after stepping down before campaigning again, so the others get a fair chance at the lock. */
  private static final long REJOIN_MS = 1000;

  private enum State { NEW, STARTING, CAMPAIGNING, ALLOCATING, CONTROLLER, SETTLING, STOPPED }

  private final Vertx vertx;
  private final String nodeId;
  private final ElectionConfig config;
  private final ControllerEpochStore store;
  private final MonotonicClock clock;
  private final Membership membership;
  private final ControllerLease lease;

  private volatile Accepted known = Accepted.NONE;   // highest accepted (maybe still being written): compared against
  private volatile Accepted durable = Accepted.NONE; // highest known to be on disk

  // owned by the context below
  private Context context;
  private ElectionListener listener;
  private EpochCounter counter;
  private State state = State.NEW;
  private boolean stopping;
  private Promise<Void> stopped;
  private Lock lock;
  private Future<Void> lastWrite = Future.succeededFuture();
  private long tickTimer = -1;
  private long retryTimer = -1;
  private Runnable retryAction;
  private long checkGeneration;
  private boolean checkInFlight;
  private long checkStartedAt;
  private long holdOffUntil;
  private boolean holdingOff;
  private boolean mayHoldStaleLock;
  private boolean stuckReported;
  private long lastControllerSeen;
  private volatile long ticks; // for tests: lets them move the clock one tick at a time
  private long seenEpoch; // highest epoch reported by onHigherEpochSeen: the next allocation goes above it

  /**
   * @param nodeId this broker's stable id (its {@code node.id}), the controller id it persists with its
   *     own epoch and that its controller messages carry; no whitespace
   */
  public ControllerElection(Vertx vertx, String nodeId, ElectionConfig config, ControllerEpochStore store,
      MonotonicClock clock) {
    this(vertx, nodeId, config, store, clock, Membership.of(vertx));
  }

  ControllerElection(Vertx vertx, String nodeId, ElectionConfig config, ControllerEpochStore store, MonotonicClock clock,
      Membership membership) {
    this.vertx = Objects.requireNonNull(vertx);
    this.nodeId = new Accepted(0, nodeId).controllerId(); // validates it
    this.config = Objects.requireNonNull(config);
    this.store = Objects.requireNonNull(store);
    this.clock = Objects.requireNonNull(clock);
    this.membership = Objects.requireNonNull(membership);
    this.lease = new ControllerLease(config);
  }

  /**
   * Loads the persisted epoch and starts campaigning. The listener is called on the current Vert.x
   * context (a new event-loop context if called from a plain thread).
   */
  public Future<Void> start(ElectionListener electionListener) {
    Objects.requireNonNull(electionListener);
    synchronized (this) {
      if (context != null) {
        return Future.failedFuture(new IllegalStateException("already started"));
      }
      context = vertx.getOrCreateContext();
    }
    listener = electionListener;
    // an allocation or a check must not outlive the time in which someone else could take over
    counter = new EpochCounter(vertx, context, Math.max(config.leaseMs(), 2 * config.lockWaitMs()));
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      state = State.STARTING;
      on(context.executeBlocking(store::load, false), ar -> {
        if (ar.failed()) {
          finishStop();
          started.fail(ar.cause());
          return;
        }
        known = durable = ar.result();
        lastControllerSeen = clock.nanoTime();
        tickTimer = vertx.setPeriodic(config.checkIntervalMs(), id -> tick());
        LOG.log(Level.INFO, "Controller election started; highest accepted controller epoch {0} (controller {1})",
            known.epoch(), known.controllerId());
        tick();
        campaign();
        started.complete();
      });
    });
    return started.future();
  }

  /**
   * Leaves the election: steps down if controller (releasing the lock when that is safe) and stops
   * campaigning. Completes when the lock is released or abandoned (at most {@code controller.lock.wait.ms}
   * if a lock attempt is pending).
   */
  public Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (stopped == null) {
        stopped = Promise.promise();
        stopping = true;
        vertx.cancelTimer(tickTimer);
        switch (state) {
          case NEW, STOPPED -> finishStop();
          case CONTROLLER -> stepDown("election stopped", 0);
          default -> runRetryNow(); // a pending lock attempt or operation sees `stopping` when it completes
        }
      }
      stopped.future().onComplete(done);
    });
    return done.future();
  }

  /** True while this node believes it is the controller (it may still not be allowed to act). */
  public boolean isController() {
    return lease.epoch() > 0;
  }

  /** This node's controller epoch, 0 if it is not the controller. */
  public long epoch() {
    return lease.epoch();
  }

  /**
   * True only while this node is the controller and its last successful check of the counter started
   * less than {@code controller.lease.ms} ago, with no pause being watched. Check it before every
   * controller action, including each one of a burst of timers that fire late after a freeze.
   */
  public boolean mayAct() {
    return lease.mayAct(clock.nanoTime());
  }

  /**
   * {@link #mayAct()} as the controller of {@code epoch}: false once this node stepped down, even if it
   * was elected again since. For controller state built for one epoch.
   */
  public boolean mayAct(long epoch) {
    return epoch > 0 && lease.epoch() == epoch && mayAct();
  }

  /** The highest controller epoch this broker has accepted and persisted. */
  public long knownEpoch() {
    return durable.epoch();
  }

  /** The controller whose epoch is {@link #knownEpoch()} ("" if unknown). */
  public String knownController() {
    return durable.controllerId();
  }

  /**
   * Broker-side fencing: a message from controller {@code controllerId} carries {@code epoch}. Answers
   * false (refuse it, and reply with {@link #knownEpoch()}) if the epoch is below the highest one this
   * broker accepted, or equal to it but from another controller (a reused epoch: fence both controllers).
   * Otherwise true, once the epoch is on disk. A controller of this node with a lower or conflicting epoch
   * steps down. Cheap (no I/O) for the current epoch, so call it for every controller message: it also
   * tells the liveness fallback that a controller is alive.
   */
  public Future<Boolean> acceptEpoch(long epoch, String controllerId) {
    Accepted claim = new Accepted(epoch, controllerId);
    Promise<Boolean> result = Promise.promise();
    onContext(() -> {
      Accepted k = known;
      boolean conflict = epoch == k.epoch() && !k.controllerId().isEmpty() && !k.controllerId().equals(controllerId);
      long mine = lease.epoch();
      if (mine > 0 && epoch >= mine && !controllerId.equals(nodeId)) {
        stepDown("controller " + controllerId + " claims epoch " + epoch + " (mine " + mine + ")", epoch);
      }
      if (epoch < k.epoch() || conflict) {
        result.complete(false);
        return;
      }
      controllerSeen();
      raiseKnown(claim).map(true).onComplete(result);
    });
    return result.future();
  }

  /**
   * A broker refused this controller reporting the epoch it persisted, or any message showed an epoch at
   * least as high as mine that this node did not allocate (two controllers with one epoch: both must go).
   * A controller with an epoch not above it steps down and, if the counter still holds its epoch, raises
   * the counter to {@code epoch} before releasing the lock, so the next election goes above it (the
   * Hazelcast counter restarts at 0 after a full restart). This node's own next allocation goes above it
   * too.
   */
  public void onHigherEpochSeen(long epoch) {
    onContext(() -> {
      seenEpoch = Math.max(seenEpoch, epoch);
      if (lease.epoch() > 0 && epoch >= lease.epoch()) {
        stepDown("a broker knows controller epoch " + epoch + " >= mine", epoch);
      }
    });
  }

  /**
   * The controller gives up (for example it no longer hears from a majority of brokers): it steps down
   * at once, releases the lock if the counter still holds its epoch, and stays out of the election for
   * {@code controller.quarantine.ms} so that it does not simply win again on the minority side.
   */
  public void resign(String reason) {
    onContext(() -> {
      if (lease.epoch() > 0) {
        holdingOff = true;
        holdOffUntil = clock.nanoTime() + config.quarantineMs() * 1_000_000L;
        stepDown(reason, 0);
      }
    });
  }

  // ---------------------------------------------------------------- periodic tick

  /** Pause detector, membership watch after a pause, lease check, liveness fallback. */
  private void tick() {
    if (state == State.STOPPED || stopping) {
      return;
    }
    ticks++;
    long now = clock.nanoTime();
    switch (lease.tick(now, membership.nodes(), membership.self())) {
      case PAUSED -> LOG.log(Level.WARNING, "Paused for {0} ms: not acting, watching the membership for {1} ms",
          lease.lastPauseNanos() / 1_000_000, config.probationMs());
      case MEMBERSHIP_LOST -> {
        LOG.log(Level.WARNING, "A pause cost this node its cluster membership: quarantined for {0} ms",
            config.quarantineMs());
        if (lease.epoch() > 0) {
          stepDown("membership lost after a pause", 0);
        }
      }
      case LONG_PAUSE -> {
        LOG.log(Level.WARNING, "Paused for {0} ms, long enough to have been replaced: quarantined for {1} ms",
            lease.lastPauseNanos() / 1_000_000, config.quarantineMs());
        if (lease.epoch() > 0) {
          stepDown("paused for " + lease.lastPauseNanos() / 1_000_000 + " ms", 0);
        }
      }
      case RESUMED -> LOG.log(Level.INFO, "Membership intact after the pause");
      default -> { }
    }
    if (state == State.CONTROLLER) {
      check(now);
    }
    watchLiveness(now);
  }

  private void check(long now) {
    if (lease.onProbation() || (checkInFlight && now - checkStartedAt < config.leaseMs() * 1_000_000L)) {
      return; // one check at a time; a check slower than a lease is abandoned
    }
    long generation = ++checkGeneration;
    long epoch = lease.epoch();
    checkInFlight = true;
    checkStartedAt = now;
    on(counter.confirm(epoch), ar -> {
      if (generation != checkGeneration || lease.epoch() != epoch) {
        return;
      }
      checkInFlight = false;
      if (ar.failed()) {
        LOG.log(Level.DEBUG, "Controller check failed: {0}", ar.cause().toString());
      } else if (ar.result() > epoch) {
        stepDown("counter is " + ar.result() + " > my epoch " + epoch, 0);
      } else {
        lease.confirmed(now);
        controllerSeen();
      }
    });
  }

  private void watchLiveness(long now) {
    if (lease.epoch() > 0 || !mayHoldStaleLock || stuckReported) {
      return;
    }
    long without = (now - lastControllerSeen) / 1_000_000L;
    if (without >= config.stuckMs()) {
      stuckReported = true;
      LOG.log(Level.WARNING, "No controller for {0} ms and this node may hold a stale controller lock", without);
      safely(() -> listener.onStuck(without));
    }
  }

  private void controllerSeen() {
    lastControllerSeen = clock.nanoTime();
    stuckReported = false;
  }

  // ---------------------------------------------------------------- campaign and allocation

  private void campaign() {
    if (stopping) {
      finishStop();
      return;
    }
    state = State.CAMPAIGNING;
    long now = clock.nanoTime();
    long wait = Math.max(lease.quarantineRemainingMs(now), holdOffRemainingMs(now));
    if (wait > 0) { // re-evaluated every tick period: time is the injected clock's, not the timer's
      retryAfter(Math.min(wait, config.checkIntervalMs()), this::campaign);
      return;
    }
    long attemptStart = clock.nanoTime();
    on(vertx.sharedData().getLockWithTimeout(LOCK_NAME, config.lockWaitMs()), ar -> {
      if (ar.failed()) {
        // a timeout means another holder: try again at once (waiters are woken when it frees); a fast
        // failure means a broken cluster: back off
        long elapsed = (clock.nanoTime() - attemptStart) / 1_000_000L;
        retryAfter(Math.max(0, RETRY_MS - elapsed), this::campaign);
        return;
      }
      lock = ar.result();
      mayHoldStaleLock = false;
      allocate();
    });
  }

  /** Holding the lock: allocate an epoch once it is safe (not right after a pause). */
  private void allocate() {
    state = State.ALLOCATING;
    if (stopping || lease.unsafe(clock.nanoTime())) {
      if (stopping) {
        giveUpLock("stopped before allocating an epoch");
      } else {
        retryAfter(config.checkIntervalMs(), this::allocate);
      }
      return;
    }
    long startedAt = clock.nanoTime();
    on(counter.allocate(Math.max(known.epoch(), seenEpoch)).compose(e -> raiseKnown(new Accepted(e, nodeId)).map(e)), ar -> {
      if (ar.failed()) {
        LOG.log(Level.WARNING, "Could not allocate a controller epoch: {0}", ar.cause().toString());
        giveUpLock("epoch allocation failed");
        return;
      }
      long epoch = ar.result();
      long above = Math.max(known.epoch(), seenEpoch);
      if (stopping || above > epoch || seenEpoch == epoch) { // stopped or fenced while allocating: never announce it
        LOG.log(Level.INFO, "Dropping controller epoch {0}: {1}", epoch, stopping ? "stopped" : "epoch " + above + " seen");
        Lock held = lock;
        lock = null;
        state = State.SETTLING;
        settle(epoch, held, stopping ? 0 : above);
        return;
      }
      lease.elected(epoch, startedAt);
      state = State.CONTROLLER;
      checkInFlight = false;
      controllerSeen();
      LOG.log(Level.INFO, "Elected controller with epoch {0}", epoch);
      safely(() -> listener.onElected(epoch));
    });
  }

  /** Holding the lock without an epoch: release it if safe (it was just taken, so it is ours), campaign again. */
  private void giveUpLock(String why) {
    Lock held = lock;
    lock = null;
    if (held != null && !lease.unsafe(clock.nanoTime())) {
      held.release();
    } else if (held != null) {
      mayHoldStaleLock = true;
    }
    LOG.log(Level.DEBUG, "Gave up the controller lock: {0}", why);
    retryAfter(RETRY_MS, this::campaign);
  }

  // ---------------------------------------------------------------- stepping down

  private void stepDown(String reason, long raiseTo) {
    long epoch = lease.resign();
    if (epoch == 0) {
      return;
    }
    checkGeneration++;
    checkInFlight = false;
    Lock held = lock;
    lock = null;
    state = State.SETTLING;
    LOG.log(Level.WARNING, "Stepped down as controller of epoch {0}: {1}", epoch, reason);
    safely(() -> listener.onResigned(epoch, reason));
    settle(epoch, held, raiseTo);
  }

  /** Decides about the lock once safe: release only if the counter still equals my epoch. */
  private void settle(long epoch, Lock held, long raiseTo) {
    if (lease.unsafe(clock.nanoTime())) {
      if (stopping) { // leaving anyway: closing the cluster manager frees whatever this node holds
        mayHoldStaleLock = true;
        finishStop();
      } else {
        retryAfter(config.checkIntervalMs(), () -> settle(epoch, held, raiseTo));
      }
      return;
    }
    on(counter.mayRelease(epoch, raiseTo), ar -> {
      if (ar.failed() && !stopping) {
        LOG.log(Level.DEBUG, "Step-down check failed, retrying: {0}", ar.cause().toString());
        retryAfter(RETRY_MS, () -> settle(epoch, held, raiseTo));
        return;
      }
      boolean release = ar.succeeded() && ar.result();
      if (release && held != null) {
        held.release();
      } else if (held != null) {
        mayHoldStaleLock = true; // it may still be ours; never release: it may also be a newer controller's
      }
      LOG.log(Level.INFO, "Controller epoch {0} settled: lock {1}", epoch, release ? "released" : "NOT released");
      retryAfter(REJOIN_MS, this::campaign);
    });
  }

  private void finishStop() {
    state = State.STOPPED;
    vertx.cancelTimer(tickTimer);
    vertx.cancelTimer(retryTimer);
    retryAction = null;
    if (stopped != null) {
      stopped.tryComplete();
    }
  }

  // ---------------------------------------------------------------- epochs on disk

  /** Raises the highest accepted epoch and persists it; the future completes once it is on disk. */
  private Future<Void> raiseKnown(Accepted accepted) {
    Accepted k = known;
    if (accepted.epoch() > k.epoch() || (accepted.epoch() == k.epoch() && k.controllerId().isEmpty())) {
      known = accepted;
      // the store ignores lower values, so unordered writes cannot move the file backwards
      lastWrite = context.executeBlocking(() -> store.raise(accepted), false).map(written -> {
        if (accepted.epoch() >= durable.epoch()) {
          durable = accepted;
        }
        return null;
      });
    }
    return lastWrite;
  }

  // ---------------------------------------------------------------- plumbing

  /** For tests: how many ticks ran. */
  long ticks() {
    return ticks;
  }

  /** For tests: the lease, pause and quarantine state. */
  ControllerLease lease() {
    return lease;
  }

  private long holdOffRemainingMs(long now) {
    if (holdingOff && now - holdOffUntil < 0) {
      return Math.max(1, (holdOffUntil - now) / 1_000_000L);
    }
    holdingOff = false;
    return 0;
  }

  private void retryAfter(long delayMs, Runnable action) {
    vertx.cancelTimer(retryTimer);
    if (stopping) {
      action.run(); // every action takes the stop path itself
      return;
    }
    if (delayMs <= 0) {
      action.run();
      return;
    }
    retryAction = action;
    retryTimer = vertx.setTimer(delayMs, id -> {
      retryAction = null;
      action.run();
    });
  }

  private void runRetryNow() {
    Runnable action = retryAction;
    if (action != null) {
      vertx.cancelTimer(retryTimer);
      retryAction = null;
      action.run();
    }
  }

  /** Runs the handler on the election's context, whichever thread completed the future. */
  private <T> void on(Future<T> future, Handler<AsyncResult<T>> handler) {
    future.onComplete(ar -> onContext(() -> handler.handle(ar)));
  }

  private void onContext(Runnable action) {
    if (context == null) {
      throw new IllegalStateException("election not started");
    }
    if (Vertx.currentContext() == context && Context.isOnEventLoopThread() == context.isEventLoopContext()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private static void safely(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "Election listener failed", e);
    }
  }
}
