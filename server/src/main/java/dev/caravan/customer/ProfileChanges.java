package dev.caravan.customer;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.data.mongodb.core.query.Update;

/**
 * Applies the profile facts of incoming records to a customer. Stated values replace stored ones; contacts,
 * addresses and identities accumulate; nothing is erased by an omitted field.
 */
final class ProfileChanges {

    private ProfileChanges() {
    }

    static void apply(Customer c, ProfileInput in, ContactNormalizer normalizer, Instant now) {
        String name = in.displayName();
        if (blank(name) && !(blank(in.firstName()) && blank(in.lastName()))) {
            name = ((in.firstName() == null ? "" : in.firstName()) + " " + (in.lastName() == null ? "" : in.lastName())).trim();
        }
        if (!blank(name)) c.setDisplayName(name.trim());
        if (!blank(in.firstName())) c.setFirstName(in.firstName().trim());
        if (!blank(in.lastName())) c.setLastName(in.lastName().trim());
        if (in.country() != null) c.setCountry(in.country());
        if (in.language() != null) c.setLanguage(in.language());
        if (in.timezone() != null) c.setTimezone(in.timezone());
        if (in.currency() != null) c.setCurrency(in.currency());
        if (in.birthday() != null) c.setBirthday(in.birthday());

        boolean relay = in.email() != null && normalizer.isRelayEmail(in.email());
        if (in.email() != null && !relay && !c.getEmails().contains(in.email())) {
            List<String> emails = new ArrayList<>(c.getEmails());
            emails.add(in.email());
            c.setEmails(emails);
        }
        if (in.phone() != null && !c.getPhones().contains(in.phone())) {
            List<String> phones = new ArrayList<>(c.getPhones());
            phones.add(in.phone());
            c.setPhones(phones);
        }
        if (in.address() != null && !c.getAddresses().contains(in.address())) {
            List<Address> addresses = new ArrayList<>(c.getAddresses());
            addresses.add(in.address());
            c.setAddresses(addresses);
        }
        if (in.platform() != null && in.buyerId() != null) {
            addIdentity(c, new PlatformIdentity(in.platform(), in.storeId(), in.buyerId(), in.email()));
        }
        if (!in.consents().isEmpty()) {
            Map<String, Consent> consents = new LinkedHashMap<>(c.getConsents());
            in.consents().forEach((channel, granted) -> {
                Consent current = consents.get(channel);
                if (current == null || current.granted() != granted) {
                    consents.put(channel, new Consent(granted, in.source(), in.at() != null ? in.at() : now));
                }
            });
            c.setConsents(consents);
        }
    }

    private static void addIdentity(Customer c, PlatformIdentity id) {
        List<PlatformIdentity> ids = new ArrayList<>(c.getIdentities());
        for (int i = 0; i < ids.size(); i++) {
            PlatformIdentity existing = ids.get(i);
            if (existing.sameAccount(id)) {
                if (id.email() != null && !id.email().equals(existing.email())) {
                    ids.set(i, id);
                    c.setIdentities(ids);
                }
                return;
            }
        }
        ids.add(id);
        c.setIdentities(ids);
    }

    /** Applies the records and returns the update that stores what changed, or null when nothing did. */
    static Update diff(Customer c, List<ProfileInput> inputs, ContactNormalizer normalizer, Instant now) {
        String displayName = c.getDisplayName(), firstName = c.getFirstName(), lastName = c.getLastName();
        String country = c.getCountry(), language = c.getLanguage(), timezone = c.getTimezone();
        String currency = c.getCurrency();
        LocalDate birthday = c.getBirthday();
        List<String> emails = c.getEmails(), phones = c.getPhones();
        List<Address> addresses = c.getAddresses();
        List<PlatformIdentity> identities = c.getIdentities();
        Map<String, Consent> consents = c.getConsents();

        inputs.forEach(in -> apply(c, in, normalizer, now));

        Update u = new Update();
        setIfChanged(u, "displayName", displayName, c.getDisplayName());
        setIfChanged(u, "firstName", firstName, c.getFirstName());
        setIfChanged(u, "lastName", lastName, c.getLastName());
        if (!Objects.equals(displayName, c.getDisplayName()) || !Objects.equals(firstName, c.getFirstName())
                || !Objects.equals(lastName, c.getLastName())) {
            List<String> nameIndex = normalizer.nameIndex(c.getDisplayName(), c.getFirstName(), c.getLastName());
            c.setNameIndex(nameIndex);
            u.set("nameIndex", nameIndex);
        }
        setIfChanged(u, "country", country, c.getCountry());
        setIfChanged(u, "language", language, c.getLanguage());
        setIfChanged(u, "timezone", timezone, c.getTimezone());
        setIfChanged(u, "currency", currency, c.getCurrency());
        setIfChanged(u, "birthday", birthday, c.getBirthday());
        setIfChanged(u, "emails", emails, c.getEmails());
        setIfChanged(u, "phones", phones, c.getPhones());
        setIfChanged(u, "addresses", addresses, c.getAddresses());
        setIfChanged(u, "identities", identities, c.getIdentities());
        c.getConsents().forEach((channel, consent) -> {
            if (!Objects.equals(consents.get(channel), consent)) u.set("consents." + channel, consent);
        });
        if (u.getUpdateObject().isEmpty()) {
            return null;
        }
        c.setUpdatedAt(now);
        return u.set("updatedAt", now);
    }

    private static void setIfChanged(Update u, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            u.set(field, after);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
