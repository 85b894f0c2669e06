import { createElement } from 'lwc';
import { registerSa11yMatcher } from '@sa11y/jest';
import CoconutMyAppointments from 'c/coconutMyAppointments';
import getMyAppointments from '@salesforce/apex/CoconutAppointmentsController.getMyAppointments';
import { refreshApex } from '@salesforce/apex';

jest.mock('@salesforce/i18n/timeZone', () => ({ default: 'America/Toronto' }), { virtual: true });
jest.mock(
  '@salesforce/apex/CoconutAppointmentsController.getMyAppointments',
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

const MINE = require('./data/getMyAppointments.json');

interface WireMock {
  emit(value: unknown): void;
  error(body?: unknown): void;
  getLastConfig(): Record<string, unknown> | undefined;
}
const adapter = getMyAppointments as unknown as jest.Mock & WireMock;
const refreshMock = refreshApex as unknown as jest.Mock;

function mount(props: Record<string, unknown> = {}): HTMLElement {
  const element = createElement('c-coconut-my-appointments', { is: CoconutMyAppointments });
  Object.assign(element, props);
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

function list(element: HTMLElement): HTMLElement & Record<string, unknown> {
  return $(element, 'c-coconut-appointment-list') as HTMLElement & Record<string, unknown>;
}

function items(element: HTMLElement): HTMLElement[] {
  return [
    ...list(element).shadowRoot!.querySelectorAll('c-coconut-appointment-item')
  ] as HTMLElement[];
}

describe('c-coconut-my-appointments', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it("shows today's appointments with their clients, as the staff member sees them", async () => {
    const element = mount();
    await flush();
    expect(adapter.getLastConfig()).toEqual({ range: 'today' });
    adapter.emit(MINE);
    await flush();
    expect(($(element, 'lightning-card') as HTMLElement & { title: string }).title).toBe(
      'My Coconut Appointments'
    );
    expect(items(element)).toHaveLength(2);
    const first = items(element)[0];
    expect(first.shadowRoot!.querySelector('.coconut-attendees')!.textContent).toBe(
      'Clients: Jane Doe, John Roe'
    );
    expect(first.shadowRoot!.querySelector('.coconut-staff')).toBeNull();
    expect(list(element).listLabel).toBe('My appointments today');
    expect(list(element).shadowRoot!.querySelector('.coconut-summary')!.textContent!.trim()).toBe(
      '2 appointments'
    );
    await expect(element).toBeAccessible();
  });

  it('switches to this week', async () => {
    const element = mount();
    adapter.emit(MINE);
    await flush();
    $(element, '.coconut-tab-week')!.dispatchEvent(new CustomEvent('active'));
    await flush();
    expect(adapter.getLastConfig()).toEqual({ range: 'week' });
    expect(list(element).loading).toBe(true);
    adapter.emit({ ...MINE, records: [MINE.records[1]], total: 1 });
    await flush();
    expect(
      $(element, '.coconut-tab-week')!.querySelector('c-coconut-appointment-list')
    ).not.toBeNull();
    expect(list(element).listLabel).toBe('My appointments this week');
    expect(list(element).shadowRoot!.querySelector('.coconut-summary')!.textContent!.trim()).toBe(
      '1 appointment'
    );
    $(element, '.coconut-tab-week')!.dispatchEvent(new CustomEvent('active'));
    await flush();
    expect(items(element)).toHaveLength(1);
    await expect(element).toBeAccessible();
  });

  it('opens on this week and uses the title when App Builder says so', async () => {
    const element = mount({
      defaultRange: 'This week',
      cardTitle: 'My week',
      flexipageRegionWidth: 'SMALL'
    });
    await flush();
    expect(adapter.getLastConfig()).toEqual({ range: 'week' });
    expect(($(element, 'lightning-card') as HTMLElement & { title: string }).title).toBe('My week');
    adapter.emit({ records: [], total: 0, upcomingCount: 0, pastCount: 0, hasMore: false });
    await flush();
    expect(list(element).compact).toBe(true);
    expect(list(element).shadowRoot!.querySelector('.coconut-empty')!.textContent).toBe(
      'No appointments this week.'
    );
  });

  it('shows the empty state for today', async () => {
    const element = mount();
    adapter.emit({ records: [], total: 0, upcomingCount: 0, pastCount: 0, hasMore: false });
    await flush();
    expect(list(element).shadowRoot!.querySelector('.coconut-empty')!.textContent).toBe(
      'No appointments today.'
    );
    await expect(element).toBeAccessible();
  });

  it('says when only the first appointments are shown', async () => {
    const element = mount();
    adapter.emit({ ...MINE, total: 250, hasMore: true });
    await flush();
    expect(list(element).shadowRoot!.querySelector('.coconut-summary')!.textContent!.trim()).toBe(
      'Showing the first 2 of 250. Open Coconut for the full calendar.'
    );
  });

  it('shows a readable error and retries with refreshApex', async () => {
    const element = mount();
    adapter.error({ message: 'You do not have access to Coconut appointments.' });
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

  it('refreshes from the header, reports a failed refresh, and ignores refresh before the first answer', async () => {
    const element = mount();
    await flush();
    ($(element, '.coconut-refresh') as HTMLElement).click();
    await flush();
    expect(refreshMock).not.toHaveBeenCalled();
    adapter.emit(MINE);
    await flush();
    refreshMock.mockRejectedValueOnce({ body: { message: 'Server unavailable' } });
    ($(element, '.coconut-refresh') as HTMLElement).click();
    await flush();
    expect(refreshMock).toHaveBeenCalledTimes(1);
    const lines = [...list(element).shadowRoot!.querySelectorAll('.coconut-error-line')].map(
      (li) => li.textContent
    );
    expect(lines).toEqual(['Server unavailable']);
  });
});
