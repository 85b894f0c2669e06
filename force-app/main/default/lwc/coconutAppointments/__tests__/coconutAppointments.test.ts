import { createElement } from 'lwc';
import { registerSa11yMatcher } from '@sa11y/jest';
import CoconutAppointments from 'c/coconutAppointments';
import getAppointments from '@salesforce/apex/CoconutAppointmentsController.getAppointments';
import getBookingContext from '@salesforce/apex/CoconutAppointmentsController.getBookingContext';
import { refreshApex } from '@salesforce/apex';

jest.mock('@salesforce/i18n/timeZone', () => ({ default: 'America/Toronto' }), { virtual: true });

// Wired and imperative use of the same Apex method: the wire adapter is also a jest.fn().
jest.mock(
  '@salesforce/apex/CoconutAppointmentsController.getAppointments',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/CoconutAppointmentsController.getBookingContext',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
  virtual: true
});

registerSa11yMatcher();

const PAGE_1 = require('./data/getAppointments.json');
const PAGE_2 = require('./data/getAppointmentsPage2.json');
const PAST = require('./data/getAppointmentsPast.json');
const EMPTY = require('./data/getAppointmentsEmpty.json');
const BOOKING = require('./data/getBookingContext.json');

const RECORD_ID = '00Q000000000001AAA';

interface WireMock {
  emit(value: unknown): void;
  error(body?: unknown): void;
  getLastConfig(): Record<string, unknown> | undefined;
}
const appointmentsAdapter = getAppointments as unknown as jest.Mock & WireMock;
const bookingAdapter = getBookingContext as unknown as jest.Mock & WireMock;
const refreshMock = refreshApex as unknown as jest.Mock;

type Props = Partial<{
  recordId: string;
  objectApiName: string;
  cardTitle: string;
  pageSize: number;
  tabs: string;
  showBookButton: boolean;
  flexipageRegionWidth: string;
}>;

function mount(props: Props = {}): HTMLElement {
  const element = createElement('c-coconut-appointments', { is: CoconutAppointments });
  Object.assign(element, {
    recordId: RECORD_ID,
    objectApiName: 'Lead',
    showBookButton: true,
    ...props
  });
  document.body.appendChild(element);
  return element;
}

/** Lets pending promises and re-renders settle (a macrotask runs after all queued microtasks). */
function flush(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function $(element: HTMLElement, selector: string): HTMLElement | null {
  return element.shadowRoot!.querySelector(selector);
}

function list(element: HTMLElement): HTMLElement {
  const found = $(element, 'c-coconut-appointment-list');
  if (!found) {
    throw new Error('no appointment list rendered');
  }
  return found;
}

function items(element: HTMLElement): (HTMLElement & { appointment: { id: string } })[] {
  return [...list(element).shadowRoot!.querySelectorAll('c-coconut-appointment-item')] as never;
}

function statusBadges(element: HTMLElement): string[] {
  return items(element).map((item) => {
    const badge = item.shadowRoot!.querySelector('.coconut-appointment-status')!;
    return (badge.shadowRoot!.querySelector('lightning-badge') as HTMLElement & { label: string })
      .label;
  });
}

describe('c-coconut-appointments', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('asks for the first upcoming page of the record and shows a spinner until it arrives', async () => {
    const element = mount();
    await flush();
    expect(appointmentsAdapter.getLastConfig()).toEqual({
      recordId: RECORD_ID,
      tab: 'upcoming',
      pageSize: 5,
      offset: 0
    });
    expect((list(element) as HTMLElement & { loading: boolean }).loading).toBe(true);
    expect(list(element).shadowRoot!.querySelector('lightning-spinner')).not.toBeNull();
  });

  it('renders the upcoming page with counts on the tabs and every status as its badge', async () => {
    const element = mount();
    appointmentsAdapter.emit(PAGE_1);
    await flush();
    const tabs = element.shadowRoot!.querySelectorAll('lightning-tab') as NodeListOf<
      HTMLElement & { label: string }
    >;
    expect([...tabs].map((tab) => tab.label)).toEqual(['Upcoming (7)', 'Past (2)']);
    expect(items(element)).toHaveLength(5);
    expect(statusBadges(element)).toEqual([
      'Confirmed',
      'Arrived',
      'In progress',
      'Completed',
      'Cancelled'
    ]);
    expect(list(element).shadowRoot!.querySelector('.coconut-summary')!.textContent!.trim()).toBe(
      'Showing 5 of 7'
    );
    expect(
      (items(element)[0] as HTMLElement & { showClientStatus: boolean }).showClientStatus
    ).toBe(true);
    await expect(element).toBeAccessible();
  });

  it('loads more with the next offset and appends, then hides Load more at the end', async () => {
    appointmentsAdapter.mockResolvedValue(PAGE_2);
    const element = mount();
    appointmentsAdapter.emit(PAGE_1);
    await flush();
    (list(element).shadowRoot!.querySelector('.coconut-load-more') as HTMLElement).click();
    await flush();
    expect(appointmentsAdapter).toHaveBeenCalledTimes(1);
    expect(appointmentsAdapter).toHaveBeenCalledWith({
      recordId: RECORD_ID,
      tab: 'upcoming',
      pageSize: 5,
      offset: 5
    });
    expect(items(element)).toHaveLength(7);
    expect(statusBadges(element).slice(5)).toEqual(['No-show', 'Unknown (waitlisted)']);
    expect(list(element).shadowRoot!.querySelector('.coconut-load-more')).toBeNull();
    expect(list(element).shadowRoot!.querySelector('.coconut-summary')!.textContent!.trim()).toBe(
      'Showing 7 of 7'
    );
  });

  it('keeps the loaded page and shows the reason when Load more fails', async () => {
    appointmentsAdapter.mockRejectedValue({ body: { message: 'Request timed out.' }, status: 500 });
    const element = mount();
    appointmentsAdapter.emit(PAGE_1);
    await flush();
    (list(element).shadowRoot!.querySelector('.coconut-load-more') as HTMLElement).click();
    await flush();
    expect(items(element)).toHaveLength(5);
    expect(list(element).shadowRoot!.querySelector('.coconut-load-more-error')!.textContent).toBe(
      'Request timed out.'
    );
    expect(list(element).shadowRoot!.querySelector('.coconut-load-more')).not.toBeNull();
  });

  it('drops a Load more page that arrives after the user switched tabs', async () => {
    let resolvePage: (page: unknown) => void = () => undefined;
    appointmentsAdapter.mockReturnValue(
      new Promise((resolve) => {
        resolvePage = resolve;
      })
    );
    const element = mount();
    appointmentsAdapter.emit(PAGE_1);
    await flush();
    (list(element).shadowRoot!.querySelector('.coconut-load-more') as HTMLElement).click();
    $(element, '.coconut-tab-past')!.dispatchEvent(new CustomEvent('active'));
    appointmentsAdapter.emit(PAST);
    await flush();
    resolvePage(PAGE_2);
    await flush();
    expect(items(element).map((item) => item.appointment.id)).toEqual(['a01000000000010AAA']);
  });

  it('switches to the Past tab, asking for past appointments', async () => {
    const element = mount();
    appointmentsAdapter.emit(PAGE_1);
    await flush();
    const pastTab = $(element, '.coconut-tab-past')!;
    pastTab.dispatchEvent(new CustomEvent('active'));
    await flush();
    expect(appointmentsAdapter.getLastConfig()).toMatchObject({ tab: 'past', offset: 0 });
    expect((list(element) as HTMLElement & { loading: boolean }).loading).toBe(true);
    appointmentsAdapter.emit(PAST);
    await flush();
    expect(pastTab.querySelector('c-coconut-appointment-list')).not.toBeNull();
    expect(
      $(element, '.coconut-tab-upcoming')!.querySelector('c-coconut-appointment-list')
    ).toBeNull();
    expect(items(element).map((item) => item.appointment.id)).toEqual(['a01000000000010AAA']);
    expect((list(element) as HTMLElement & { listLabel: string }).listLabel).toBe(
      'Past appointments'
    );
    // Re-activating the current tab does not reset it.
    pastTab.dispatchEvent(new CustomEvent('active'));
    await flush();
    expect(items(element)).toHaveLength(1);
    await expect(element).toBeAccessible();
  });

  it('shows the empty state per tab', async () => {
    const element = mount();
    appointmentsAdapter.emit(EMPTY);
    await flush();
    expect(list(element).shadowRoot!.querySelector('.coconut-empty')!.textContent).toBe(
      'No upcoming appointments.'
    );
    expect(list(element).shadowRoot!.querySelector('.coconut-summary')).toBeNull();
    $(element, '.coconut-tab-past')!.dispatchEvent(new CustomEvent('active'));
    appointmentsAdapter.emit(EMPTY);
    await flush();
    expect(list(element).shadowRoot!.querySelector('.coconut-empty')!.textContent).toBe(
      'No past appointments.'
    );
    await expect(element).toBeAccessible();
  });

  it('shows a readable error from the server, and Retry refreshes the wired page', async () => {
    const element = mount();
    appointmentsAdapter.error({ message: 'You do not have access to Coconut appointments.' });
    await flush();
    const lines = [...list(element).shadowRoot!.querySelectorAll('.coconut-error-line')].map(
      (li) => li.textContent
    );
    expect(lines).toEqual(['You do not have access to Coconut appointments.']);
    (list(element).shadowRoot!.querySelector('.coconut-retry') as HTMLElement).click();
    await flush();
    expect(refreshMock).toHaveBeenCalledTimes(1);
    await expect(element).toBeAccessible();
  });

  it('refreshes the wired page from the header button and shows the fresh data', async () => {
    const element = mount();
    appointmentsAdapter.emit(PAGE_1);
    await flush();
    ($(element, '.coconut-refresh') as HTMLElement).click();
    await flush();
    expect(refreshMock).toHaveBeenCalledTimes(1);
    expect(refreshMock.mock.calls[0][0]).toMatchObject({ data: PAGE_1 });
    appointmentsAdapter.emit(PAGE_2);
    await flush();
    expect(items(element)).toHaveLength(2);
  });

  it('reports a failed refresh', async () => {
    refreshMock.mockRejectedValueOnce(new Error('Network error'));
    const element = mount();
    appointmentsAdapter.emit(PAGE_1);
    await flush();
    ($(element, '.coconut-refresh') as HTMLElement).click();
    await flush();
    const lines = [...list(element).shadowRoot!.querySelectorAll('.coconut-error-line')].map(
      (li) => li.textContent
    );
    expect(lines).toEqual(['Network error']);
  });

  it('does nothing on refresh before the wire has answered', async () => {
    const element = mount();
    await flush();
    ($(element, '.coconut-refresh') as HTMLElement).click();
    await flush();
    expect(refreshMock).not.toHaveBeenCalled();
    expect((list(element) as HTMLElement & { loading: boolean }).loading).toBe(true);
  });

  describe('Book appointment', () => {
    it('links to the Coconut booking page with the client encoded in the query', async () => {
      const element = mount();
      bookingAdapter.emit(BOOKING);
      await flush();
      expect(bookingAdapter.getLastConfig()).toEqual({ recordId: RECORD_ID });
      const link = $(element, 'a.coconut-book') as HTMLAnchorElement;
      expect(link.getAttribute('href')).toBe(BOOKING.bookingUrl);
      expect(link.target).toBe('_blank');
      expect(link.rel).toBe('noopener noreferrer');
      const url = new URL(link.href);
      expect(url.origin + url.pathname).toBe('https://bank.example.com/book');
      expect(url.searchParams.get('first_name')).toBe('Zoë');
      expect(url.searchParams.get('last_name')).toBe("O'Brien & Sons");
      expect(url.searchParams.get('email')).toBe('zoe+test@example.com');
      expect(url.searchParams.get('phone')).toBe('+1 204 555 0100');
      expect(url.searchParams.get('external_id')).toBe(RECORD_ID);
      // Nothing in the query is left unencoded.
      expect(url.search).not.toMatch(/[ @']|\+test/);
      expect(link.textContent).toBe(
        "Book appointment for Zoë O'Brien & Sons in Coconut (opens in a new tab)"
      );
      await expect(element).toBeAccessible();
    });

    it('is disabled with an explanation when the Coconut base URL is not set', async () => {
      const element = mount();
      bookingAdapter.emit({ bookingUrl: null });
      await flush();
      expect($(element, 'a.coconut-book')).toBeNull();
      const button = $(element, '.coconut-book-disabled') as HTMLElement & {
        disabled: boolean;
        title: string;
      };
      expect(button.disabled).toBe(true);
      expect(button.title).toContain('Coconut base URL is not set');
    });

    it('is hidden when the booking context fails to load', async () => {
      const element = mount();
      bookingAdapter.emit(BOOKING);
      await flush();
      bookingAdapter.error({ message: 'No access' });
      await flush();
      expect($(element, 'a.coconut-book')).toBeNull();
      expect($(element, '.coconut-book-disabled')).toBeNull();
    });

    it('is not offered, and the booking context is not fetched, when the App Builder switch is off', async () => {
      const element = mount({ showBookButton: false });
      bookingAdapter.emit(BOOKING);
      await flush();
      expect(bookingAdapter.getLastConfig()).toEqual({ recordId: undefined });
      expect($(element, 'a.coconut-book')).toBeNull();
    });
  });

  describe('App Builder properties', () => {
    it('uses the configured title and page size', async () => {
      const element = mount({ cardTitle: 'Branch visits', pageSize: 10 });
      await flush();
      expect(($(element, 'lightning-card') as HTMLElement & { title: string }).title).toBe(
        'Branch visits'
      );
      expect(appointmentsAdapter.getLastConfig()).toMatchObject({ pageSize: 10 });
    });

    it.each([
      [0, 5],
      [-3, 5],
      [Number.NaN, 5],
      [500, 50],
      [7.8, 7]
    ])('turns page size %p into %p', async (pageSize, expected) => {
      mount({ pageSize });
      await flush();
      expect(appointmentsAdapter.getLastConfig()).toMatchObject({ pageSize: expected });
    });

    it('shows only the upcoming list without tabs for "Upcoming only"', async () => {
      const element = mount({ tabs: 'Upcoming only' });
      appointmentsAdapter.emit(PAGE_1);
      await flush();
      expect($(element, 'lightning-tabset')).toBeNull();
      expect($(element, '.coconut-single-heading')!.textContent).toBe('Upcoming (7)');
      expect(appointmentsAdapter.getLastConfig()).toMatchObject({ tab: 'upcoming' });
      expect(items(element)).toHaveLength(5);
      await expect(element).toBeAccessible();
    });

    it('shows only the past list without tabs for "Past only"', async () => {
      const element = mount({ tabs: 'Past only' });
      appointmentsAdapter.emit(PAST);
      await flush();
      expect($(element, 'lightning-tabset')).toBeNull();
      expect(appointmentsAdapter.getLastConfig()).toMatchObject({ tab: 'past' });
      expect($(element, '.coconut-single-heading')!.textContent).toBe('Past (2)');
    });

    it('uses the compact layout in a narrow region and the grid in a wide one', async () => {
      const narrow = mount({ flexipageRegionWidth: 'SMALL' });
      appointmentsAdapter.emit(PAGE_1);
      await flush();
      expect((list(narrow) as HTMLElement & { compact: boolean }).compact).toBe(true);
      expect($(narrow, 'lightning-card')!.classList.contains('coconut-appointments_narrow')).toBe(
        true
      );
      document.body.removeChild(narrow);
      const wide = mount({ flexipageRegionWidth: 'LARGE' });
      appointmentsAdapter.emit(PAGE_1);
      await flush();
      expect((list(wide) as HTMLElement & { compact: boolean }).compact).toBe(false);
      await expect(wide).toBeAccessible();
    });
  });
});
