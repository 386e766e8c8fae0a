package com.emaileventhub.support;

import com.emaileventhub.store.Database;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.store.JournalCursor;

/** The insight figures as tests wait for them. */
public final class Figures {
    private Figures() {
    }

    /** Whether every stored event is counted: the insight cursor has passed them all and no replayed item waits. */
    public static boolean counted(Database database) {
        return new JournalCursor(database, "insight").backlog().pending() == 0
                && new DeliveryQueue(database).backlog("insight").pending() == 0;
    }
}
