"""Forms of the account pages: sign in, ask for access, choose or reset a password."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from ..accounts import MIN_PASSWORD_LENGTH
from ..forms import CommuneField, no_control_characters, strip

EMAIL_CHECKS = [
    InputRequired(message=_l("Please enter your e-mail address.")),
    Email(message=_l("This e-mail address does not look valid.")),
    Length(max=254),
]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[strip], validators=EMAIL_CHECKS)
    password = PasswordField(_l("Password"), validators=[
        InputRequired(message=_l("Please enter your password.")), Length(max=200)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[strip], validators=EMAIL_CHECKS)


class ChoosePasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[
        InputRequired(message=_l("Please choose a password.")),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("The password must be at least %(min)d characters long.")),
    ])
    confirm = PasswordField(_l("The same password again"), validators=[
        EqualTo("password", message=_l("The two passwords are not the same.")),
    ])


class AccessRequestForm(FlaskForm):
    name = StringField(_l("Your name"), filters=[strip], validators=[
        InputRequired(message=_l("Please enter your name.")), Length(max=200),
        no_control_characters])
    email = EmailField(_l("Your professional e-mail address"), filters=[strip],
                       validators=EMAIL_CHECKS)
    commune = CommuneField(_l("Commune"), filters=[strip], validators=[
        InputRequired(message=_l("Please choose the commune you work for or with.")),
        Length(max=100)])
    organization = StringField(_l("Organisation (commune, CPAS, police zone, …)"),
                               filters=[strip], validators=[Optional(), Length(max=200),
                                                            no_control_characters])
    function = StringField(_l("Your function"), filters=[strip], validators=[
        InputRequired(message=_l("Please enter your function.")), Length(max=200),
        no_control_characters])
    message = TextAreaField(_l("Message to the directory's team (optional)"),
                            filters=[strip], validators=[Optional(), Length(max=2000),
                                                         no_control_characters])
