// The demo shop's own script: it puts the plan the customer picks in the widget into its cart.
const cart = document.getElementById('cart-lines');
const chosen = document.getElementById('chosen-plan');
document.addEventListener('protego-offer-select', (event) => {
  const plan = event.detail;
  cart.querySelector('[data-protection]')?.remove();
  if (plan) {
    const line = document.createElement('li');
    line.dataset.protection = plan.optionId;
    const money = new Intl.NumberFormat('en-SE', { style: 'currency', currency: plan.premium.currency });
    line.textContent = `${plan.productName}, ${plan.termMonths} months: ${money.format(plan.premium.amount / 100)}`;
    cart.append(line);
  }
  chosen.textContent = JSON.stringify(plan, null, 2);
});
