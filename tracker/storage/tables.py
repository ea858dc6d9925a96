"""ORM models: patients, check-ins and the symptom entries they hold."""

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tracker.storage.limits import (
    CONDITION_MAX_LENGTH,
    DOSE_UNIT_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    FACTOR_NAME_MAX_LENGTH,
    MEASURE_NAME_MAX_LENGTH,
    MEASURE_UNIT_MAX_LENGTH,
    MEDICINE_FORM_MAX_LENGTH,
    MEDICINE_NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PATIENT_NAME_MAX_LENGTH,
    PRESET_MAX_LENGTH,
    QUESTION_ID_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    REGION_CODE_LENGTH,
    SCHEDULE_MAX_LENGTH,
    SYMPTOM_MAX_LENGTH,
    TIME_ZONE_MAX_LENGTH,
    USER_NAME_MAX_LENGTH,
)


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Store aware datetimes as UTC and always hand back aware UTC datetimes.

    SQLite has no time zone type, so naive values read back are UTC by construction.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass a timezone-aware time")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Patient(Base):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(PATIENT_NAME_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Room for accounts: the user who owns this profile (None in the single-user default).
    owner_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    # Goes up with every change to the patient's entries (add, edit, delete, import): the cache key
    # that lets every session and process see an edit, which changes neither the count nor the ids.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Where the profile's person is and which clock they read: the emergency number and the times
    # shown with this diary (None: the owner's own setting, else the server's default).
    region: Mapped[str | None] = mapped_column(String(REGION_CODE_LENGTH))
    time_zone: Mapped[str | None] = mapped_column(String(TIME_ZONE_MAX_LENGTH))
    # About the person (all optional), checked in tracker.diary.profile_facts. For a baby or child the age
    # may be given instead of the date of birth: the date is worked out from it and `age_given_on` says so.
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    age_given_on: Mapped[date | None] = mapped_column(Date, default=None)
    sex: Mapped[str | None] = mapped_column(String(1), default=None)  # "F", "M" or None (not said)
    # Set when a pregnancy is recorded; the weeks are those on that day, so they advance with time.
    pregnancy_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    pregnancy_weeks: Mapped[int | None] = mapped_column(Integer, default=None)
    # Period days are offered on the Log page only when the profile turns cycle tracking on.
    tracks_cycle: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    check_ins: Mapped[list["CheckIn"]] = relationship(
        back_populates="patient", cascade="all, delete-orphan", passive_deletes=True
    )
    conditions: Mapped[list["PatientCondition"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="PatientCondition.condition"
    )


class PatientCondition(Base):
    """A long-term condition the person has, from the fixed list in data/knowledge/conditions.csv."""

    __tablename__ = "patient_conditions"
    __table_args__ = (UniqueConstraint("patient_id", "condition", name="one_row_per_condition"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    condition: Mapped[str] = mapped_column(String(CONDITION_MAX_LENGTH))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CheckIn(Base):
    """One submission of the Log form: one or several symptoms and the advice given for them."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    level: Mapped[str | None] = mapped_column(String(20))
    advice: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(64))

    patient: Mapped[Patient] = relationship(back_populates="check_ins")
    entries: Mapped[list["SymptomEntry"]] = relationship(
        back_populates="check_in", cascade="all, delete-orphan", passive_deletes=True
    )
    factors: Mapped[list["CheckInFactor"]] = relationship(
        back_populates="check_in", cascade="all, delete-orphan", passive_deletes=True
    )
    answers: Mapped[list["CheckInAnswer"]] = relationship(
        back_populates="check_in", cascade="all, delete-orphan", passive_deletes=True
    )


class SymptomEntry(Base):
    __tablename__ = "symptom_entries"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity_1_to_5"),
        Index("ix_entries_patient_occurred", "patient_id", "occurred_at"),
        Index("ix_entries_patient_symptom", "patient_id", "symptom"),  # the symptom filter's list
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Denormalised from the check-in so "one patient's entries in a range" is one index scan.
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_ins.id", ondelete="CASCADE"), index=True)
    symptom: Mapped[str] = mapped_column(String(SYMPTOM_MAX_LENGTH))
    symptom_text: Mapped[str] = mapped_column(String(SYMPTOM_MAX_LENGTH))
    severity: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX_LENGTH))

    check_in: Mapped[CheckIn] = relationship(back_populates="entries")


class CheckInFactor(Base):
    """Something recorded with a check-in that may go with better or worse days."""

    __tablename__ = "check_in_factors"
    __table_args__ = (
        CheckConstraint("kind IN ('medication', 'sleep', 'tag')", name="factor_kind"),
        Index("ix_factors_patient_occurred", "patient_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_ins.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(FACTOR_NAME_MAX_LENGTH))
    value: Mapped[float | None] = mapped_column(Float)

    check_in: Mapped[CheckIn] = relationship(back_populates="factors")


class CheckInAnswer(Base):
    """An answer to a follow-up question asked at check-in (yes, no or not sure), with the words asked."""

    __tablename__ = "check_in_answers"
    __table_args__ = (
        CheckConstraint("answer IN ('yes', 'no', 'not_sure')", name="answer_kind"),
        UniqueConstraint("check_in_id", "question_id", name="one_answer_per_question"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_ins.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_MAX_LENGTH))
    concept: Mapped[str] = mapped_column(String(SYMPTOM_MAX_LENGTH))
    question: Mapped[str] = mapped_column(String(QUESTION_MAX_LENGTH))
    answer: Mapped[str] = mapped_column(String(10))

    check_in: Mapped[CheckIn] = relationship(back_populates="answers")


class Alert(Base):
    """A problem worth someone's attention: one per ongoing problem, updated rather than repeated."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'acknowledged', 'resolved')", name="alert_status"),
        Index("ix_alerts_patient_status", "patient_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(40))
    symptom: Mapped[str | None] = mapped_column(String(SYMPTOM_MAX_LENGTH))
    severity: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[str | None] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="new")
    # Bumped when the problem gets worse: each version is notified once, never again on a rerun.
    version: Mapped[int] = mapped_column(Integer, default=1)
    check_ins: Mapped[int] = mapped_column(Integer, default=1)
    last_check_in_id: Mapped[int | None] = mapped_column(ForeignKey("check_ins.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Contact(Base):
    """Where a patient's alerts and reminders go: an e-mail address or an apprise URL (SMS, chat …).

    Nothing but a confirmation code is sent to a contact until `confirmed_at` is set (see care_team.contacts).
    """

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("kind IN ('email', 'apprise')", name="contact_kind"),
        UniqueConstraint("patient_id", "kind", "address", name="one_contact_per_address"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(500))
    alerts: Mapped[bool] = mapped_column(default=True)
    reminders: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set for a clinician's address added when they accepted an invitation; removed with the share.
    share_id: Mapped[int | None] = mapped_column(ForeignKey("shares.id", ondelete="CASCADE"), index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The pending confirmation code: only its hash, until when it works, wrong tries so far.
    code_hash: Mapped[str | None] = mapped_column(String(64))
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    code_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ConfirmationSend(Base):
    """One confirmation code sent for a profile: it counts toward the daily limit after the contact goes."""

    __tablename__ = "confirmation_sends"
    __table_args__ = (Index("ix_confirmation_sends_patient_sent", "patient_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Delivery(Base):
    """One notification of one alert version (or one day's reminder) to one contact, and how it went."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("contact_id", "purpose", "reference", name="one_delivery_per_purpose"),
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="delivery_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "alert" or "reminder"
    reference: Mapped[str] = mapped_column(String(60))  # "alert 12 v2" or "reminder 2026-11-25"
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A sender holds the delivery until then; after it, the sender is presumed dead and another may retry.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The same on every attempt, so a receiver can drop the copy a retry after a crash may send.
    message_id: Mapped[str | None] = mapped_column(String(200))


class User(Base):
    """An account: a patient, a caregiver (several profiles) or a clinician (profiles shared with them)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('patient', 'caregiver', 'clinician')", name="user_role"),
        CheckConstraint("provider IN ('password', 'oidc')", name="user_provider"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)  # stored casefolded
    name: Mapped[str] = mapped_column(String(USER_NAME_MAX_LENGTH))
    role: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id; None for OIDC accounts
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The person's own region and time zone: used where a profile has none (and by a clinician).
    region: Mapped[str | None] = mapped_column(String(REGION_CODE_LENGTH))
    time_zone: Mapped[str | None] = mapped_column(String(TIME_ZONE_MAX_LENGTH))


class SignInAttempt(Base):
    """Password checks counted per e-mail address and per client, known account or not.

    Keyed by hashes, so the table lists neither addresses nor IP addresses. `client_key` "*" counts
    every client together (the per-address ceiling).
    """

    __tablename__ = "sign_in_attempts"
    __table_args__ = (UniqueConstraint("account_key", "client_key", name="one_count_per_client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    client_key: Mapped[str] = mapped_column(String(64))
    checks: Mapped[int] = mapped_column(Integer, default=0)
    window_started: Mapped[datetime] = mapped_column(UTCDateTime())


class UserSession(Base):
    """A signed-in browser session (password mode). Only a hash of its token is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Invitation(Base):
    """A one-time code a profile's owner gives a clinician; only a hash of the code is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Share(Base):
    """A clinician's read access to one profile, from an accepted invitation, until revoked."""

    __tablename__ = "shares"
    __table_args__ = (UniqueConstraint("patient_id", "clinician_id", name="one_share_per_clinician"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Outcome(Base):
    """What actually happened after an entry, recorded by a clinician: a labelled case for training."""

    __tablename__ = "outcomes"
    __table_args__ = (
        CheckConstraint("level IN ('self_care', 'see_doctor', 'urgent', 'emergency')", name="outcome_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("symptom_entries.id", ondelete="CASCADE"), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX_LENGTH))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Medicine(Base):
    """A medicine on a profile's list: its usual dose, form, and when it is taken (checked in
    tracker.medicines.list)."""

    __tablename__ = "medicines"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MEDICINE_NAME_MAX_LENGTH))
    dose_amount: Mapped[float] = mapped_column(Float)
    dose_unit: Mapped[str] = mapped_column(String(DOSE_UNIT_MAX_LENGTH))
    form: Mapped[str] = mapped_column(String(MEDICINE_FORM_MAX_LENGTH))
    # Local wall-clock times ("08:00 20:00") in the profile's zone; empty when taken only as needed.
    times: Mapped[str] = mapped_column(String(SCHEDULE_MAX_LENGTH), default="")
    as_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DoseEvent(Base):
    """One dose taken, skipped or taken extra. A scheduled dose answers its slot (the planned time) once."""

    __tablename__ = "dose_events"
    __table_args__ = (
        CheckConstraint("status IN ('taken', 'skipped', 'extra')", name="dose_status"),
        UniqueConstraint("medicine_id", "slot_at", name="one_answer_per_slot"),
        Index("ix_dose_events_patient_taken", "patient_id", "taken_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Denormalised from the medicine so "one patient's doses in a range" is one index scan.
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    medicine_id: Mapped[int] = mapped_column(ForeignKey("medicines.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    # When it was taken (for a skipped dose: the planned time); the slot is None for an as-needed or
    # extra dose, which can happen any number of times (NULLs never clash in a unique constraint).
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    slot_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    amount: Mapped[float | None] = mapped_column(Float, default=None)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Measure(Base):
    """Something the person rates (0-4) or measures (a number in a unit within a valid range)."""

    __tablename__ = "measures"
    __table_args__ = (
        UniqueConstraint("patient_id", "name", name="one_measure_per_name"),
        CheckConstraint("kind IN ('rating', 'number')", name="measure_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MEASURE_NAME_MAX_LENGTH))
    kind: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str] = mapped_column(String(MEASURE_UNIT_MAX_LENGTH), default="")
    low: Mapped[float] = mapped_column(Float)
    high: Mapped[float] = mapped_column(Float)
    # The preset it was made from ("temperature_c"): gives the UCUM unit, the LOINC code, the triage use.
    preset: Mapped[str | None] = mapped_column(String(PRESET_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MeasureValue(Base):
    """One value of a measure, in the measure's unit, logged with a check-in or alone."""

    __tablename__ = "measure_values"
    __table_args__ = (Index("ix_measure_values_patient_measured", "patient_id", "measured_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    # Kept when the check-in goes (its last entry deleted): the value was still measured.
    check_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("check_ins.id", ondelete="SET NULL"), index=True
    )
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime())
    value: Mapped[float] = mapped_column(Float)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PeriodDay(Base):
    """A day of a period and its flow; cycle day and phase are derived from these (tracker.cycles)."""

    __tablename__ = "period_days"
    __table_args__ = (
        UniqueConstraint("patient_id", "day", name="one_period_row_per_day"),
        CheckConstraint("flow IN ('spotting', 'light', 'medium', 'heavy')", name="period_flow"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    flow: Mapped[str] = mapped_column(String(10))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
