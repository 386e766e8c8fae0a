package com.emaileventhub.destination.alert;

/** A rule's value for one group at one evaluation; numerator and denominator only for rates. */
public record Reading(double value, Long numerator, Long denominator) {
}
