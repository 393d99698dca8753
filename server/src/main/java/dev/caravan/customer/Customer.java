package dev.caravan.customer;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.caravan.security.Encrypted;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The unified profile of one buyer across every marketplace and shop. Contact data lives here once;
 * identity lookups go through {@link IdentityKey} documents (unique keys), never through these arrays.
 * Classification fields (tier, tags, lifecycle, level) are written by the rules; metrics by orders.
 * <p>
 * Contact data (names, e-mails, phones, addresses, birthday, platform e-mails) is {@link Encrypted} at rest and read
 * back transparently; never query on it. Names are found through {@code nameIndex}, the blind index of their words
 * (kept by {@link CustomerNameIndex} and the profile writers).
 */
@Document("customers")
public class Customer {

    @MongoId(FieldType.STRING)
    private String id;
    @Encrypted
    private String displayName;
    @Encrypted
    private String firstName;
    @Encrypted
    private String lastName;
    @Encrypted
    private List<String> emails = new ArrayList<>();
    @Encrypted
    private List<String> phones = new ArrayList<>();
    @Encrypted
    private List<Address> addresses = new ArrayList<>();
    /** Blind index (keyed hashes) of the words of the names, for search by name. */
    private List<String> nameIndex = new ArrayList<>();
    @Indexed
    private String country;
    private String language;
    private String timezone;
    private String currency;
    @Encrypted
    private LocalDate birthday;
    private List<PlatformIdentity> identities = new ArrayList<>();
    private Map<String, Consent> consents = new LinkedHashMap<>();

    @Indexed
    private String tier;
    private Set<String> tags = new LinkedHashSet<>();
    private String lifecycle;
    private String level;

    private CustomerMetrics metrics = CustomerMetrics.EMPTY;
    private Predictions predictions;
    private List<String> mergedFrom = new ArrayList<>();
    private Instant createdAt;
    private Instant updatedAt;
    /** Set when the person's data was erased: the document is an anonymous stub keeping metrics for aggregates. */
    private Instant erasedAt;

    protected Customer() {
    }

    public Customer(String id, Instant createdAt) {
        this.id = id;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    public String getId() { return id; }
    public String getDisplayName() { return displayName; }
    public String getFirstName() { return firstName; }
    public String getLastName() { return lastName; }
    public List<String> getEmails() { return emails == null ? List.of() : emails; }
    public List<String> getPhones() { return phones == null ? List.of() : phones; }
    public List<Address> getAddresses() { return addresses == null ? List.of() : addresses; }
    public String getCountry() { return country; }
    public String getLanguage() { return language; }
    public String getTimezone() { return timezone; }
    public String getCurrency() { return currency; }
    public LocalDate getBirthday() { return birthday; }
    public List<String> getNameIndex() { return nameIndex == null ? List.of() : nameIndex; }
    public List<PlatformIdentity> getIdentities() { return identities == null ? List.of() : identities; }
    public Map<String, Consent> getConsents() { return consents == null ? Map.of() : consents; }
    public String getTier() { return tier; }
    public Set<String> getTags() { return tags == null ? Set.of() : tags; }
    public String getLifecycle() { return lifecycle; }
    public String getLevel() { return level; }
    public CustomerMetrics getMetrics() { return metrics == null ? CustomerMetrics.EMPTY : metrics; }
    public Predictions getPredictions() { return predictions; }
    public List<String> getMergedFrom() { return mergedFrom == null ? List.of() : mergedFrom; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public Instant getErasedAt() { return erasedAt; }

    void setDisplayName(String displayName) { this.displayName = displayName; }
    void setFirstName(String firstName) { this.firstName = firstName; }
    void setLastName(String lastName) { this.lastName = lastName; }
    void setCountry(String country) { this.country = country; }
    void setLanguage(String language) { this.language = language; }
    void setTimezone(String timezone) { this.timezone = timezone; }
    void setCurrency(String currency) { this.currency = currency; }
    void setBirthday(LocalDate birthday) { this.birthday = birthday; }
    void setMetrics(CustomerMetrics metrics) { this.metrics = metrics; }
    void setUpdatedAt(Instant updatedAt) { this.updatedAt = updatedAt; }
    void setEmails(List<String> emails) { this.emails = new ArrayList<>(emails); }
    void setPhones(List<String> phones) { this.phones = new ArrayList<>(phones); }
    void setAddresses(List<Address> addresses) { this.addresses = new ArrayList<>(addresses); }
    void setIdentities(List<PlatformIdentity> identities) { this.identities = new ArrayList<>(identities); }
    void setConsents(Map<String, Consent> consents) { this.consents = new LinkedHashMap<>(consents); }
    void setMergedFrom(List<String> mergedFrom) { this.mergedFrom = new ArrayList<>(mergedFrom); }
    void setNameIndex(List<String> nameIndex) { this.nameIndex = new ArrayList<>(nameIndex); }
    void setTags(Set<String> tags) { this.tags = new LinkedHashSet<>(tags); }

    /** The name to show: the display name, else first and last name, else the first e-mail. */
    public String name() {
        if (displayName != null && !displayName.isBlank()) {
            return displayName;
        }
        String joined = ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).trim();
        if (!joined.isEmpty()) {
            return joined;
        }
        return getEmails().isEmpty() ? null : getEmails().get(0);
    }
}
