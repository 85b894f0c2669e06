import { createElement } from 'lwc';
import { registerSa11yMatcher } from '@sa11y/jest';
import CoconutAppointmentItem from 'c/coconutAppointmentItem';

// The viewer's zone is fixed so the time-zone assertions do not depend on the machine.
jest.mock('@salesforce/i18n/timeZone', () => ({ default: 'America/Toronto' }), { virtual: true });

registerSa11yMatcher();

const page = require('../../coconutAppointments/__tests__/data/getAppointments.json');
const [videoInWinnipeg, walkInAtBranch, groupByPhone, offSite, cancelled] = page.records;

type DateTimeStub = HTMLElement & { value: string; timeZone: string; timeZoneName: string };
type BadgeStub = HTMLElement & Record<'status' | 'cancelReason', string>;

function mount(props: Record<string, unknown>): HTMLElement {
  const element = createElement('c-coconut-appointment-item', { is: CoconutAppointmentItem });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

function $(element: HTMLElement, selector: string): HTMLElement | null {
  return element.shadowRoot!.querySelector(selector);
}

describe('c-coconut-appointment-item', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it("shows the time in the viewer's zone and the appointment's own zone when it differs", async () => {
    const element = mount({ appointment: videoInWinnipeg });
    await Promise.resolve();
    const viewer = $(element, '.coconut-viewer-time') as DateTimeStub;
    expect(viewer.value).toBe('2026-03-10T19:00:00.000Z');
    expect(viewer.timeZone).toBe('America/Toronto');
    expect(viewer.timeZoneName).toBe('short');
    const own = $(element, '.coconut-own-time') as DateTimeStub;
    expect(own.value).toBe('2026-03-10T19:00:00.000Z');
    expect(own.timeZone).toBe('America/Winnipeg');
    expect($(element, '.coconut-own-zone')!.textContent).toContain('(America/Winnipeg)');
    await expect(element).toBeAccessible();
  });

  it.each([
    // The reported appointment (after the 2026-11-01 fall-back) and one before it.
    ['2026-11-30T23:30:00.000Z'],
    ['2026-10-30T23:30:00.000Z']
  ])(
    "gives the own-zone line the appointment's instant and zone, whatever today is (%s, Vancouver)",
    async (start) => {
      jest.useFakeTimers().setSystemTime(new Date('2026-07-01T12:00:00.000Z'));
      try {
        const element = mount({
          appointment: { ...videoInWinnipeg, start, timeZone: 'America/Vancouver' }
        });
        await Promise.resolve();
        const viewer = $(element, '.coconut-viewer-time') as DateTimeStub;
        const own = $(element, '.coconut-own-time') as DateTimeStub;
        expect([viewer.value, viewer.timeZone]).toEqual([start, 'America/Toronto']);
        expect([own.value, own.timeZone, own.timeZoneName]).toEqual([
          start,
          'America/Vancouver',
          'short'
        ]);
        expect($(element, '.coconut-own-zone')!.textContent).toContain('(America/Vancouver)');
      } finally {
        jest.useRealTimers();
      }
    }
  );

  it('does not repeat the time when the appointment zone shows the same wall clock (New York vs Toronto)', async () => {
    const element = mount({ appointment: walkInAtBranch });
    await Promise.resolve();
    expect(($(element, '.coconut-viewer-time') as DateTimeStub).timeZone).toBe('America/Toronto');
    expect($(element, '.coconut-own-zone')).toBeNull();
  });

  it('shows duration, service heading, staff, video join link, notes and the Coconut link', async () => {
    const element = mount({ appointment: videoInWinnipeg });
    await Promise.resolve();
    expect($(element, '.coconut-duration')!.textContent).toBe('30 min');
    expect($(element, 'h3')!.textContent!.trim()).toBe('Mortgage Renewal');
    expect($(element, '.coconut-staff')!.textContent).toBe('With Sam Lee');
    expect($(element, '.coconut-meeting')!.textContent).toContain('Video call');
    const join = $(element, 'a.coconut-join') as HTMLAnchorElement;
    expect(join.href).toBe('https://video.example.com/j/48213');
    expect(join.target).toBe('_blank');
    expect(join.rel).toBe('noopener noreferrer');
    expect(join.textContent).toBe('Join video call for Mortgage Renewal (opens in a new tab)');
    expect($(element, '.coconut-location')).toBeNull();
    expect($(element, '.coconut-notes')!.textContent!.trim()).toBe(
      'Wants to discuss a mortgage renewal'
    );
    const open = $(element, 'a.coconut-open') as HTMLAnchorElement;
    expect(open.href).toBe('https://bank.example.com/admin/appointments/48213');
    expect(open.textContent).toBe(
      'Open in Coconut appointment A9B8C7D6E5F4G3H2 (opens in a new tab)'
    );
    expect($(element, '.coconut-walk-in')).toBeNull();
  });

  it('shows the branch and address for an in-person walk-in', async () => {
    const element = mount({ appointment: walkInAtBranch });
    await Promise.resolve();
    expect($(element, '.coconut-meeting')!.textContent).toContain('At a branch');
    expect($(element, '.coconut-location')!.textContent).toBe(
      'Uptown Branch, 200 King St, Toronto ON M5H 1A1, CA'
    );
    expect($(element, 'a.coconut-join')).toBeNull();
    expect(($(element, '.coconut-walk-in') as HTMLElement & { label: string }).label).toBe(
      'Walk-in'
    );
    expect($(element, '.coconut-duration')!.textContent).toBe('1 h');
    await expect(element).toBeAccessible();
  });

  it('shows an off-site location without an address', async () => {
    const element = mount({ appointment: offSite });
    await Promise.resolve();
    expect($(element, '.coconut-location')!.textContent).toBe('Client office');
  });

  it("shows the client's own status in a group appointment on the record page", async () => {
    const element = mount({ appointment: groupByPhone, showClientStatus: true });
    await Promise.resolve();
    expect($(element, '.coconut-group')!.textContent).toBe('Group appointment, 3 attendees.');
    const mine = $(element, '.coconut-attendee-status') as BadgeStub;
    expect(mine.status).toBe('Cancelled');
    expect(mine.cancelReason).toBe('Could not attend');
    const overall = $(element, '.coconut-appointment-status') as BadgeStub;
    expect(overall.status).toBe('In Progress');
    expect($(element, '.coconut-duration')!.textContent).toBe('1 h 30 min');
    expect($(element, 'a.coconut-join') as HTMLAnchorElement | null).toBeNull();
    expect($(element, '.coconut-meeting')!.textContent).toContain('Phone call');
    await expect(element).toBeAccessible();
  });

  it('hides the client status when it adds nothing, or outside the record page', async () => {
    const single = mount({ appointment: cancelled, showClientStatus: true });
    const staffView = mount({ appointment: groupByPhone, showClientStatus: false });
    await Promise.resolve();
    expect($(single, '.coconut-client-status')).toBeNull();
    expect($(staffView, '.coconut-client-status')).toBeNull();
    expect(($(single, '.coconut-appointment-status') as BadgeStub).cancelReason).toBe(
      'Client rescheduled'
    );
  });

  it('shows a different client status on a one-person appointment', async () => {
    const element = mount({
      appointment: { ...walkInAtBranch, status: 'Completed', attendeeStatus: 'No Show' },
      showClientStatus: true
    });
    await Promise.resolve();
    expect($(element, '.coconut-group')).toBeNull();
    expect(($(element, '.coconut-attendee-status') as BadgeStub).status).toBe('No Show');
  });

  it('shows attendees instead of the staff member in the staff view', async () => {
    const element = mount({
      appointment: { ...groupByPhone, attendeeNames: ['Jane Doe', 'John Roe'] },
      showAttendees: true
    });
    await Promise.resolve();
    expect($(element, '.coconut-attendees')!.textContent).toBe('Clients: Jane Doe, John Roe');
    expect($(element, '.coconut-staff')).toBeNull();
  });

  it('falls back to the code as heading and hides what is missing', async () => {
    const element = mount({
      appointment: {
        id: 'a01000000000099AAA',
        code: 'ZZZ',
        start: '2026-03-10T19:00:00.000Z',
        status: 'Confirmed'
      }
    });
    const bare = mount({
      appointment: { id: 'a01000000000098AAA', start: '2026-03-10T19:00:00.000Z' }
    });
    await Promise.resolve();
    expect($(element, 'h3')!.textContent!.trim()).toBe('Appointment ZZZ');
    expect($(bare, 'h3')!.textContent!.trim()).toBe('Appointment');
    for (const selector of [
      '.coconut-duration',
      '.coconut-staff',
      '.coconut-meeting',
      '.coconut-notes',
      'a.coconut-open'
    ]) {
      expect($(element, selector)).toBeNull();
    }
    await expect(element).toBeAccessible();
  });

  it('renders nothing broken without an appointment', async () => {
    const element = mount({});
    await Promise.resolve();
    expect($(element, 'h3')!.textContent!.trim()).toBe('Appointment');
  });

  it('stacks in a narrow region and uses two columns in a wide one', async () => {
    const narrow = mount({ appointment: videoInWinnipeg, compact: true });
    const wide = mount({ appointment: videoInWinnipeg, compact: false });
    await Promise.resolve();
    expect($(narrow, 'article')!.classList.contains('coconut-item_compact')).toBe(true);
    expect($(narrow, 'article')!.classList.contains('slds-grid')).toBe(false);
    expect($(wide, 'article')!.classList.contains('slds-grid')).toBe(true);
    expect($(wide, 'article > div')!.classList.contains('slds-medium-size_1-of-3')).toBe(true);
    await expect(narrow).toBeAccessible();
  });
});
