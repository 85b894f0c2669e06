import { createElement } from 'lwc';
import { registerSa11yMatcher } from '@sa11y/jest';
import CoconutStatusBadge from 'c/coconutStatusBadge';

registerSa11yMatcher();

function mount(props: Record<string, unknown>): HTMLElement {
  const element = createElement('c-coconut-status-badge', { is: CoconutStatusBadge });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

function badge(element: HTMLElement): HTMLElement & { label: string; iconName: string } {
  return element.shadowRoot!.querySelector('lightning-badge') as HTMLElement & {
    label: string;
    iconName: string;
  };
}

describe('c-coconut-status-badge', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it.each([
    ['Confirmed', 'Confirmed', 'slds-badge_lightest'],
    ['Arrived', 'Arrived', 'slds-badge_inverse'],
    ['In Progress', 'In progress', 'slds-theme_warning'],
    ['Completed', 'Completed', 'slds-theme_success'],
    ['Cancelled', 'Cancelled', 'slds-theme_error'],
    ['No Show', 'No-show', 'slds-theme_error']
  ])('renders %s as the "%s" badge', async (status, label, themeClass) => {
    const element = mount({ status });
    await Promise.resolve();
    const rendered = badge(element);
    expect(rendered.label).toBe(label);
    expect(rendered.classList.contains(themeClass)).toBe(true);
    expect(rendered.dataset.status).toBe(status);
    await expect(element).toBeAccessible();
  });

  it('shows an unknown status with Coconut raw value', async () => {
    const element = mount({ status: 'Unknown', statusRaw: 'waitlisted' });
    await Promise.resolve();
    expect(badge(element).label).toBe('Unknown (waitlisted)');
    expect(badge(element).iconName).toBe('utility:help');
  });

  it('shows the cancellation reason only for cancelled statuses', async () => {
    const cancelled = mount({ status: 'Cancelled', cancelReason: 'Client rescheduled' });
    const completed = mount({ status: 'Completed', cancelReason: 'Client rescheduled' });
    const blank = mount({ status: 'Cancelled', cancelReason: '  ' });
    await Promise.resolve();
    expect(cancelled.shadowRoot!.querySelector('.coconut-reason')!.textContent).toContain(
      'Client rescheduled'
    );
    expect(completed.shadowRoot!.querySelector('.coconut-reason')).toBeNull();
    expect(blank.shadowRoot!.querySelector('.coconut-reason')).toBeNull();
    await expect(cancelled).toBeAccessible();
  });

  it('prefixes the badge with its context for screen readers', async () => {
    const element = mount({ status: 'Arrived', context: "This client's status" });
    const plain = mount({ status: 'Arrived' });
    await Promise.resolve();
    expect(element.shadowRoot!.querySelector('.slds-assistive-text')!.textContent).toBe(
      "This client's status:"
    );
    expect(plain.shadowRoot!.querySelector('.slds-assistive-text')!.textContent).toBe('Status:');
  });
});
