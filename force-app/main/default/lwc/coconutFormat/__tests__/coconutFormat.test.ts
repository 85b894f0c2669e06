import { formatDuration, meetingInfo, statusInfo, zonesDiffer } from 'c/coconutFormat';

describe('c/coconutFormat', () => {
  it.each([
    ['Confirmed', 'Confirmed', 'slds-badge_lightest', 'utility:event'],
    ['Arrived', 'Arrived', 'slds-badge_inverse', 'utility:checkin'],
    ['In Progress', 'In progress', 'slds-theme_warning', 'utility:clock'],
    ['Completed', 'Completed', 'slds-theme_success', 'utility:success'],
    ['Cancelled', 'Cancelled', 'slds-theme_error', 'utility:close'],
    ['No Show', 'No-show', 'slds-theme_error', 'utility:warning']
  ])('maps status %s to its badge', (status, label, badgeClass, iconName) => {
    expect(statusInfo(status, status.toLowerCase())).toEqual({ label, badgeClass, iconName });
  });

  it('keeps Coconut raw value visible for unknown statuses', () => {
    expect(statusInfo('Unknown', ' waitlisted ')).toEqual({
      label: 'Unknown (waitlisted)',
      badgeClass: '',
      iconName: 'utility:help'
    });
    expect(statusInfo(undefined, undefined).label).toBe('Unknown');
    expect(statusInfo('Rescheduled', '').label).toBe('Unknown');
  });

  it('maps meeting methods to labels and icons', () => {
    expect(meetingInfo('At Location')).toEqual({
      label: 'At a branch',
      iconName: 'utility:location'
    });
    expect(meetingInfo('Phone Call')?.iconName).toBe('utility:call');
    expect(meetingInfo('Video Call')?.iconName).toBe('utility:video');
    expect(meetingInfo('Off-site')?.label).toBe('Off-site');
    expect(meetingInfo('Unknown')?.iconName).toBe('utility:help');
    expect(meetingInfo(undefined)).toBeUndefined();
  });

  it('formats durations in hours and minutes', () => {
    expect(formatDuration(45)).toBe('45 min');
    expect(formatDuration(60)).toBe('1 h');
    expect(formatDuration(90)).toBe('1 h 30 min');
    expect(formatDuration(0)).toBe('');
    expect(formatDuration(undefined)).toBe('');
    expect(formatDuration(Number.NaN)).toBe('');
  });

  it('says zones differ only when the wall-clock time differs at that instant', () => {
    const start = '2026-03-10T19:00:00.000Z';
    expect(zonesDiffer(start, 'America/Toronto', 'America/Winnipeg')).toBe(true);
    expect(zonesDiffer(start, 'America/Toronto', 'America/New_York')).toBe(false);
    expect(zonesDiffer(start, 'America/Toronto', 'America/Toronto')).toBe(false);
    expect(zonesDiffer(start, 'America/Toronto', undefined)).toBe(false);
    expect(zonesDiffer('not a date', 'America/Toronto', 'America/Winnipeg')).toBe(false);
    expect(zonesDiffer(start, 'America/Toronto', 'Not/AZone')).toBe(false);
  });

  it('follows daylight saving: Phoenix matches Los Angeles in summer but not in winter', () => {
    expect(zonesDiffer('2026-07-01T18:00:00.000Z', 'America/Los_Angeles', 'America/Phoenix')).toBe(
      false
    );
    expect(zonesDiffer('2026-01-15T18:00:00.000Z', 'America/Los_Angeles', 'America/Phoenix')).toBe(
      true
    );
  });

  // One minute before and at each 2026 transition. Regina and Phoenix keep one offset all year;
  // Winnipeg and Los Angeles change, so the pairs agree on one side of a transition only.
  it.each([
    ['2026-03-08T07:59:00.000Z', 'America/Regina', 'America/Winnipeg', false],
    ['2026-03-08T08:00:00.000Z', 'America/Regina', 'America/Winnipeg', true],
    ['2026-11-01T06:59:00.000Z', 'America/Regina', 'America/Winnipeg', true],
    ['2026-11-01T07:00:00.000Z', 'America/Regina', 'America/Winnipeg', false],
    ['2026-03-08T09:59:00.000Z', 'America/Phoenix', 'America/Los_Angeles', true],
    ['2026-03-08T10:00:00.000Z', 'America/Phoenix', 'America/Los_Angeles', false],
    ['2026-11-01T08:59:00.000Z', 'America/Phoenix', 'America/Los_Angeles', false],
    ['2026-11-01T09:00:00.000Z', 'America/Phoenix', 'America/Los_Angeles', true],
    // Vancouver before its 2026-03-08 change, against a viewer in Phoenix and in Toronto.
    ['2026-03-08T09:59:00.000Z', 'America/Phoenix', 'America/Vancouver', true],
    ['2026-03-08T10:00:00.000Z', 'America/Phoenix', 'America/Vancouver', false],
    ['2026-03-08T09:59:00.000Z', 'America/Toronto', 'America/Vancouver', true]
  ])('at %s a viewer in %s and an appointment in %s differ: %s', (start, viewer, own, differ) => {
    expect(zonesDiffer(start, viewer, own)).toBe(differ);
    expect(zonesDiffer(start, own, viewer)).toBe(differ);
  });

  it("decides at the appointment's instant, not at today's date", () => {
    jest.useFakeTimers().setSystemTime(new Date('2026-07-01T18:00:00.000Z'));
    try {
      // Today Phoenix and Los Angeles agree; on the appointment's winter date they do not.
      expect(
        zonesDiffer('2026-07-02T18:00:00.000Z', 'America/Los_Angeles', 'America/Phoenix')
      ).toBe(false);
      expect(
        zonesDiffer('2026-12-01T18:00:00.000Z', 'America/Los_Angeles', 'America/Phoenix')
      ).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
