package com.emaileventhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leader/follower group commit, without a database: who commits what, and that every write is settled. */
class GroupCommitTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(24);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    static final class Item extends GroupCommit.Pending<Integer> {
        final int id;
        final int size;

        Item(int id, int size) {
            this.id = id;
            this.size = size;
        }

        @Override
        int size() {
            return size;
        }
    }

    /** Records each group, and holds the first one until released. */
    static final class Recorder implements Consumer<List<Item>> {
        final List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstHeld = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public void accept(List<Item> group) {
            groups.add(group.stream().map(i -> i.id).toList());
            if (calls.getAndIncrement() == 0) {
                firstHeld.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            group.forEach(i -> i.succeed(i.id));
        }
    }

    private List<Future<Integer>> submitAll(GroupCommit<Item> commit, List<Item> items) {
        List<Future<Integer>> futures = new ArrayList<>();
        for (Item item : items) {
            futures.add(pool.submit(() -> {
                commit.submit(item);
                return item.outcome();
            }));
        }
        return futures;
    }

    @Test
    void writes_that_queue_while_a_group_commits_share_the_next_group() throws Exception {
        Recorder recorder = new Recorder();
        GroupCommit<Item> commit = new GroupCommit<>(1, 1000, recorder);
        List<Future<Integer>> first = submitAll(commit, List.of(new Item(0, 1)));
        recorder.firstHeld.await();
        List<Item> waiting = new ArrayList<>();
        for (int i = 1; i <= 19; i++) {
            waiting.add(new Item(i, 1));
        }
        List<Future<Integer>> rest = submitAll(commit, waiting);
        await().until(() -> commit.queued() == 19);
        recorder.release.countDown();
        assertThat(first.get(0).get()).isZero();
        for (int i = 0; i < rest.size(); i++) {
            assertThat(rest.get(i).get()).isEqualTo(i + 1);
        }
        assertThat(recorder.groups).hasSize(2);
        assertThat(recorder.groups.get(1)).containsExactlyInAnyOrderElementsOf(waiting.stream().map(i -> i.id).toList());
        assertThat(commit.groups()).isEqualTo(2);
        assertThat(commit.writes()).isEqualTo(20);
    }

    @Test
    void the_time_the_committer_takes_is_summed_over_the_groups() {
        long taking = TimeUnit.MILLISECONDS.toNanos(30);
        GroupCommit<Item> commit = new GroupCommit<>(1, 1000, group -> {
            long until = System.nanoTime() + taking;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();   // a transaction that takes 30 ms
            }
            group.forEach(i -> i.succeed(i.id));
        });
        long started = System.nanoTime();
        commit.submit(new Item(1, 1));
        commit.submit(new Item(2, 1));
        long took = System.nanoTime() - started;

        assertThat(commit.groups()).isEqualTo(2);
        assertThat(commit.committingNanos()).isBetween(2 * taking, took);
    }

    @Test
    void a_group_holds_at_most_its_bound_and_a_larger_write_goes_alone() throws Exception {
        Recorder recorder = new Recorder();
        GroupCommit<Item> commit = new GroupCommit<>(1, 10, recorder);
        List<Future<Integer>> first = submitAll(commit, List.of(new Item(0, 1)));
        recorder.firstHeld.await();
        List<Item> waiting = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            waiting.add(new Item(i, i == 6 ? 25 : 3));
        }
        List<Future<Integer>> rest = submitAll(commit, waiting);
        await().until(() -> commit.queued() == 12);
        recorder.release.countDown();
        first.get(0).get();
        for (Future<Integer> f : rest) {
            f.get();
        }
        List<Integer> all = new ArrayList<>();
        for (List<Integer> group : recorder.groups.subList(1, recorder.groups.size())) {
            int size = group.stream().mapToInt(id -> waiting.get(id - 1).size).sum();
            assertThat(size <= 10 || group.size() == 1).as("group %s of size %d", group, size).isTrue();
            all.addAll(group);
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(waiting.stream().map(i -> i.id).toList());
        assertThat(recorder.groups).anySatisfy(g -> assertThat(g).containsExactly(6));
    }

    @Test
    void a_committer_that_throws_fails_every_write_of_its_group_and_later_groups_still_commit() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        GroupCommit<Item> commit = new GroupCommit<>(2, 100, group -> {
            if (calls.getAndIncrement() == 0) {
                throw new StorageUnavailableException("database down", null);
            }
            group.forEach(i -> i.succeed(i.id));
        });
        Item failed = new Item(1, 1);
        assertThatThrownBy(() -> {
            commit.submit(failed);
            failed.outcome();
        }).isInstanceOf(StorageUnavailableException.class).hasMessage("database down");
        Item next = new Item(2, 1);
        commit.submit(next);
        assertThat(next.outcome()).isEqualTo(2);
    }

    @Test
    void under_contention_every_write_is_committed_exactly_once_in_fewer_groups_than_writes() throws Exception {
        List<Integer> committed = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Item> commit = new GroupCommit<>(2, 50, group -> {
            group.forEach(i -> committed.add(i.id));
            // a commit's latency, during which the next group forms
            await().pollDelay(Duration.ofMillis(1)).until(() -> true);
            group.forEach(i -> i.succeed(i.id));
        });
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int base = t * 200;
            threads.add(pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    Item item = new Item(base + i, 1);
                    commit.submit(item);
                    assertThat(item.outcome()).isEqualTo(base + i);
                }
                return null;
            }));
        }
        for (Future<?> f : threads) {
            f.get();
        }
        assertThat(committed).hasSize(3200).doesNotHaveDuplicates();
        assertThat(commit.writes()).isEqualTo(3200);
        assertThat(commit.groups()).isLessThan(3200);
    }

    @Test
    void a_leader_runs_the_pace_before_it_takes_its_group_and_what_queues_meanwhile_joins_it() throws Exception {
        CountDownLatch pacing = new CountDownLatch(1);
        CountDownLatch paced = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Recorder recorder = new Recorder();
        recorder.release.countDown();   // no group is held in the committer: the pace holds the first
        GroupCommit<Item> commit = new GroupCommit<>(1, 1, 1000, oldestWaitMillis -> {
            if (runs.getAndIncrement() == 0) {
                pacing.countDown();
                try {
                    paced.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, recorder);
        List<Future<Integer>> first = submitAll(commit, List.of(new Item(0, 1)));
        pacing.await();
        List<Item> waiting = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            waiting.add(new Item(i, 1));
        }
        List<Future<Integer>> rest = submitAll(commit, waiting);
        await().until(() -> commit.queued() == 10);   // the leader's own write too: it is not taken while paced
        assertThat(recorder.groups).isEmpty();
        paced.countDown();
        assertThat(first.get(0).get()).isZero();
        for (Future<Integer> f : rest) {
            f.get();
        }
        assertThat(recorder.groups).hasSize(1);
        assertThat(recorder.groups.get(0)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    /** Holds every group in the committer until released; counts the groups in flight at once. */
    static final class Overlap implements Consumer<List<Item>> {
        final List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void accept(List<Item> group) {
            groups.add(group.stream().map(i -> i.id).toList());
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
            group.forEach(i -> i.succeed(i.id));
        }
    }

    private static List<Item> items(int from, int to, int size) {
        List<Item> items = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            items.add(new Item(i, size));
        }
        return items;
    }

    /** Submits {@code first}, waits until its group is held in the committer, then submits the others behind it. */
    private List<Future<Integer>> behindHeldGroup(GroupCommit<Item> commit, Overlap committer, Item first,
                                                  List<Item> others) {
        List<Future<Integer>> futures = new ArrayList<>(submitAll(commit, List.of(first)));
        await().until(() -> committer.inside.get() == 1);
        futures.addAll(submitAll(commit, others));
        return futures;
    }

    /** Lets every held group commit and waits for all writes. */
    private static void releaseAll(Overlap committer, List<Future<Integer>> futures) throws Exception {
        committer.release.countDown();
        for (Future<Integer> f : futures) {
            f.get();
        }
    }

    @Test
    void small_writes_wait_for_the_group_in_flight_and_form_one_group_instead_of_starting_their_own() throws Exception {
        Overlap committer = new Overlap();
        GroupCommit<Item> commit = new GroupCommit<>(4, 100, 1000, oldest -> { }, committer);
        List<Item> singles = items(1, 20, 1);
        List<Future<Integer>> futures = behindHeldGroup(commit, committer, new Item(0, 1), singles);
        await().until(() -> commit.queued() == 20);
        // for five leader rechecks, none may start a group for 20 events beside the one in flight
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5))
                .until(() -> committer.groups.size() == 1 && commit.queued() == 20);
        releaseAll(committer, futures);
        assertThat(committer.most.get()).isEqualTo(1);
        assertThat(committer.groups).hasSize(2);
        assertThat(committer.groups.get(1)).containsExactlyInAnyOrderElementsOf(singles.stream().map(i -> i.id).toList());
    }

    @Test
    void enough_queued_events_start_another_group_beside_the_one_in_flight_up_to_the_writers() throws Exception {
        Overlap committer = new Overlap();
        GroupCommit<Item> commit = new GroupCommit<>(3, 100, 100, oldest -> { }, committer);
        List<Future<Integer>> futures = behindHeldGroup(commit, committer, new Item(0, 100), items(1, 4, 100));
        // each queued batch is a full group's worth: two more groups start (three writers), two batches wait
        await().until(() -> committer.inside.get() == 3);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5))
                .until(() -> committer.inside.get() == 3 && commit.queued() == 2);
        releaseAll(committer, futures);
        assertThat(committer.most.get()).isEqualTo(3);
        assertThat(commit.writes()).isEqualTo(5);
    }
}
