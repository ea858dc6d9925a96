"""ORM models: patients, check-ins and the symptom entries they hold."""

from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

SYMPTOM_MAX_LENGTH = 100
NOTE_MAX_LENGTH = 1000
PATIENT_NAME_MAX_LENGTH = 80
FACTOR_NAME_MAX_LENGTH = 60


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

    check_ins: Mapped[list["CheckIn"]] = relationship(
        back_populates="patient", cascade="all, delete-orphan", passive_deletes=True
    )


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


class SymptomEntry(Base):
    __tablename__ = "symptom_entries"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity_1_to_5"),
        Index("ix_entries_patient_occurred", "patient_id", "occurred_at"),
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
