import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import './styles/base.css'
import './styles/chips.css'
import './styles/layout.css'
import './styles/overlays.css'
import './styles/forms.css'
import './styles/pickers.css'
import './styles/grid.css'
import './styles/onboarding.css'
import './styles/pages.css'
import './styles/import.css'
import './styles/mail.css'
import './styles/outbox.css'
import './styles/inbox.css'
import './styles/rail.css'
import './styles/reading.css'
import './styles/reply.css'
import './styles/composeFiles.css'
import './styles/history.css'
import './styles/automation.css'
import './styles/automationEditor.css'
import './styles/sequences.css'
import './styles/dashboard.css'
import './styles/setupCheck.css'
import './styles/segments.css'
import './styles/crm.css'

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
