package com.emaileventhub.destination.crm;

/** A Salesforce record an email resolved to: its sObject type (Contact, Lead) and Id. */
public record RecordRef(String type, String id) {
}
